from django.db import migrations, models


def flag_stored_studies(apps, schema_editor):
    """Studies stored before this column existed: a sync skips unchanged records, so set it here."""
    from trials.flags import stored_flag_fields

    Study = apps.get_model("trials", "Study")
    for study in Study.objects.only("raw").iterator():
        fields = stored_flag_fields(study.raw)
        if fields["pays_flag"]:
            Study.objects.filter(pk=study.pk).update(**fields)


class Migration(migrations.Migration):

    dependencies = [
        ("trials", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="pays_flag",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="study",
            name="flag_evidence",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(flag_stored_studies, migrations.RunPython.noop),
    ]
