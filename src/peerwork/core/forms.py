from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where it names a field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FoldingMixin:
    """Fold rarely changed fields into <details> (includes/form.html), so a form fits on a phone's first screen.

    ``folds`` lists (summary, field names); a fold opens by itself when one of its fields has an error.
    """

    folds: tuple[tuple[str | Promise, tuple[str, ...]], ...] = ()

    def _folded(self) -> set[str]:
        return {name for _label, names in self.folds for name in names}

    def unfolded_fields(self) -> list[forms.BoundField]:
        assert isinstance(self, forms.BaseForm)
        folded = self._folded()
        return [field for field in self.visible_fields() if field.name not in folded]

    def folds_shown(self) -> list[dict[str, Any]]:
        assert isinstance(self, forms.BaseForm)
        shown = []
        for label, names in self.folds:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                shown.append({"label": label, "fields": fields, "open": any(f.errors for f in fields)})
        return shown
