import django.db.models.expressions
import django.db.models.functions.math
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0006_search_words_and_fewer_indexes"),
    ]

    # Each site's position as a unit vector, in the covering index the place search reads, so
    # that it measures a distance with a few multiplications instead of a haversine.
    operations = [
        migrations.RemoveIndex(
            model_name="site",
            name="site_location",
        ),
        migrations.AddField(
            model_name="site",
            name="x",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    django.db.models.functions.math.Cos(django.db.models.functions.math.Radians(models.F("latitude"))),
                    "*",
                    django.db.models.functions.math.Cos(django.db.models.functions.math.Radians(models.F("longitude"))),
                ),
                output_field=models.FloatField(),
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="y",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    django.db.models.functions.math.Cos(django.db.models.functions.math.Radians(models.F("latitude"))),
                    "*",
                    django.db.models.functions.math.Sin(django.db.models.functions.math.Radians(models.F("longitude"))),
                ),
                output_field=models.FloatField(),
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="z",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.math.Sin(
                    django.db.models.functions.math.Radians(models.F("latitude"))
                ),
                output_field=models.FloatField(),
            ),
        ),
        migrations.AddIndex(
            model_name="site",
            index=models.Index(
                fields=["latitude", "longitude"], include=("study", "status", "x", "y", "z"), name="site_location"
            ),
        ),
    ]
