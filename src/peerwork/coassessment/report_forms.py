"""The form of the report's checklist: the items only the team can answer. ``report.save_checklist`` decides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from .report_models import ReportChecklist

if TYPE_CHECKING:  # ModelForm takes its model as a type parameter only in django-stubs, not at run time
    ChecklistModelForm = forms.ModelForm[ReportChecklist]
else:
    ChecklistModelForm = forms.ModelForm


class ChecklistForm(ChecklistModelForm):
    class Meta:
        model = ReportChecklist
        fields = list(ReportChecklist.ANSWERS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ReportChecklist.ANSWERS}
