"""Pulse surveys record the version of the statements they asked. Every survey opened so far asked the first
version (with the statement on the peer worker's position worded as team membership); surveys opened from now
on ask the current one."""

from django.db import migrations, models

import peerwork.evaluation.items


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pulsesurvey",
            name="items_version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="version of the statements"),
        ),
        migrations.AlterField(
            model_name="pulsesurvey",
            name="items_version",
            field=models.PositiveSmallIntegerField(
                default=peerwork.evaluation.items.current_version, verbose_name="version of the statements"
            ),
        ),
    ]
