from django.db import migrations


def place_sites(apps, schema_editor):
    """Sites stored before the sync placed those the registry did not geocode: their records
    are unchanged, so no sync would write them again."""
    from trials.gazetteer import site_point  # the current gazetteer: placing again is harmless

    Site = apps.get_model("trials", "Site")
    unplaced = Site.objects.filter(latitude__isnull=True).only("city", "state", "postal_code", "country")
    placed = []
    for site in unplaced.iterator(chunk_size=2000):
        point = site_point(site.city, site.state, site.postal_code, site.country)
        if point:
            site.latitude, site.longitude = point.latitude, point.longitude
            placed.append(site)
    Site.objects.bulk_update(placed, ["latitude", "longitude"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0007_site_unit_vectors"),
    ]

    operations = [
        migrations.RunPython(place_sites, migrations.RunPython.noop),
    ]
