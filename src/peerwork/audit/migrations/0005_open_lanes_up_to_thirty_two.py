"""Peerwork's default number of lanes per organisation rises from 8 to 32, so one busy organisation's audited
actions wait on one another as little as those of many organisations. This opens the lanes every existing
organisation should now have (``settings.AUDIT_LANES``; none when a deployment sets fewer), signed and
registered in the system chain like every chain, so ``audit verify`` finds none missing."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from peerwork.audit import trail


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    organisation = apps.get_model("organisations", "Organisation")
    for organisation_id in organisation.objects.order_by("pk").values_list("pk", flat=True):
        trail.open_lanes(organisation_id)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_entries_in_sequence_per_organisation"), ("organisations", "0001_initial")]

    # Opened lanes stay: heads cannot be deleted, and empty lanes are harmless to earlier code.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
