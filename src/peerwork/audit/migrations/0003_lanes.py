"""Each organisation's audit trail becomes a fixed number of chains ("lanes"), so audited actions of one
organisation no longer queue behind one lock. An organisation's existing chain is its lane 0; this opens the
other lanes of every existing organisation (signed and registered in the system chain, like every chain)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from peerwork.audit import trail


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    organisation = apps.get_model("organisations", "Organisation")
    for organisation_id in organisation.objects.order_by("pk").values_list("pk", flat=True):
        trail.open_lanes(organisation_id)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_signed_heads_and_guards"), ("organisations", "0001_initial")]

    # Opened lanes stay: heads cannot be deleted, and empty lanes are harmless to earlier code.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
