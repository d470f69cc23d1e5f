import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.db import migrations, models


def _compress_search_vector_with(method):
    """As migration 0004 does for every large column: the column made again here starts with
    the default compression."""

    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", [method]
            )
            row = cursor.fetchone()
        if row and row[0]:
            schema_editor.execute(f"ALTER TABLE trials_study ALTER COLUMN search_vector SET COMPRESSION {method}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0005_site_region_status"),
    ]

    operations = [
        # Indexes no query needs, each a cost on every study stored: the search reads statuses
        # from its covering index, and a page's sites are found by their study (the foreign
        # key's index), a few hundred rows at most.
        migrations.RemoveIndex(model_name="site", name="site_study_latitude"),
        migrations.RemoveIndex(model_name="study", name="trials_stud_overall_e49e18_idx"),
        # The words search titles, summaries, interventions, conditions and sponsors, and the
        # words naming the study's labels. A detailed description is mostly background (the
        # disease, earlier research), so matching it found studies for words they do not test;
        # what it says of the study's own product is in the labels. It was also most of the cost
        # of building the vector when a study is stored (measured on the benchmark corpus).
        # A generated column's expression cannot be altered, so it is made again, with its index.
        migrations.RemoveIndex(model_name="study", name="study_search_gin"),
        migrations.RemoveField(model_name="study", name="search_vector"),
        migrations.AddField(
            model_name="study",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "brief_title", "official_title", "acronym", config="english", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector("search_terms", config="english", weight="B"),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            django.db.models.functions.text.Concat(
                                models.Case(
                                    models.When(routes__contains=["intrathecal"], then=models.Value("intrathecal ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        routes__contains=["intracerebroventricular"],
                                        then=models.Value("intracerebroventricular "),
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["intraspinal"], then=models.Value("intraspinal ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        routes__contains=["intracerebral"], then=models.Value("intracerebral ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["intravenous"], then=models.Value("intravenous ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        routes__contains=["intra_arterial"], then=models.Value("intra-arterial ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        routes__contains=["intramuscular"], then=models.Value("intramuscular ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["subcutaneous"], then=models.Value("subcutaneous ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["oral"], then=models.Value("oral ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["intranasal"], then=models.Value("intranasal ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["inhaled"], then=models.Value("inhaled ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(routes__contains=["transdermal"], then=models.Value("transdermal ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_types__contains=["msc"], then=models.Value("mesenchymal stem cells (MSC) ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_types__contains=["msc_derived"], then=models.Value("MSC-derived ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_types__contains=["neural"], then=models.Value("neural stem cells ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_types__contains=["hematopoietic"],
                                        then=models.Value("hematopoietic stem cells "),
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(cell_types__contains=["immune"], then=models.Value("immune cells ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_sources__contains=["bone_marrow"], then=models.Value("bone marrow ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(cell_sources__contains=["adipose"], then=models.Value("adipose ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_sources__contains=["umbilical_cord"], then=models.Value("umbilical cord ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(cell_sources__contains=["placenta"], then=models.Value("placenta ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_sources__contains=["dental_pulp"], then=models.Value("dental pulp ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_sources__contains=["peripheral_blood"],
                                        then=models.Value("peripheral blood "),
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(
                                        cell_sources__contains=["fetal_tissue"], then=models.Value("fetal tissue ")
                                    ),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(cell_sources__contains=["embryonic"], then=models.Value("embryonic ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(cell_sources__contains=["ipsc"], then=models.Value("iPSC ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(donors__contains=["autologous"], then=models.Value("autologous ")),
                                    default=models.Value(""),
                                ),
                                models.Case(
                                    models.When(donors__contains=["allogeneic"], then=models.Value("allogeneic ")),
                                    default=models.Value(""),
                                ),
                                output_field=models.TextField(),
                            ),
                            config="english",
                            weight="B",
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector("brief_summary", config="english", weight="C"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(_compress_search_vector_with("lz4"), migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="study",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="study_search_gin"),
        ),
    ]
