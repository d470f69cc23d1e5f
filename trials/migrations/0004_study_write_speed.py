from django.db import migrations


def _compress_with(method):
    """Compress trials_study's large columns with `method` from now on: lz4, or back to the default.

    PostgreSQL compresses with pglz unless told otherwise; lz4 (PostgreSQL 14 and later, when
    built with it) is far cheaper to write: measured on the benchmark corpus, it takes ~180 µs
    of the database's CPU time off each study stored, a quarter of it. Stored values keep their
    compression until they are written again. Without lz4 this does nothing.
    """

    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            row = cursor.fetchone()
            if not (row and row[0]):
                return
            # Every column that PostgreSQL may compress: text, arrays, JSON and the search vector.
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'trials_study'::regclass"
                " AND attnum > 0 AND NOT attisdropped AND attstorage IN ('x', 'm') ORDER BY attnum"
            )
            columns = [schema_editor.quote_name(name) for (name,) in cursor.fetchall()]
        schema_editor.execute(
            "ALTER TABLE trials_study "
            + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in columns)
        )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0003_search_indexes"),
    ]

    operations = [
        migrations.RunPython(_compress_with("lz4"), _compress_with("default")),
        # Indexes no query uses, each a cost on every study stored (EXPLAIN of the search's
        # queries on 100,000 studies). study_recently_updated (last_update_posted DESC NULLS
        # LAST, nct_id) answers what this one did, as fast.
        migrations.RemoveIndex(model_name="study", name="trials_stud_last_up_9e0e2c_idx"),
        # The search filters labels on label_bits, from its covering index, not on these arrays.
        migrations.RemoveIndex(model_name="study", name="study_phases_gin"),
        migrations.RemoveIndex(model_name="study", name="study_routes_gin"),
        migrations.RemoveIndex(model_name="study", name="study_cell_types_gin"),
        migrations.RemoveIndex(model_name="study", name="study_cell_sources_gin"),
        migrations.RemoveIndex(model_name="study", name="study_donors_gin"),
    ]
