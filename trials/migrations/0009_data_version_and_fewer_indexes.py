from django.db import migrations

# One number that every statement writing studies or sites replaces with a new one, so that a
# copy of them kept in memory (finder.searchindex) can tell, with one small query, whether it is
# still current. The number comes from a sequence, which never hands out the same value twice,
# even when a transaction is rolled back: a version is never reused for other data. The
# triggers run before the statement, so a writer takes the version's row lock before any row
# of a study or site: writers queue there, and never hold one lock while waiting for the other.
# https://www.postgresql.org/docs/current/sql-createtrigger.html
DATA_VERSION = """
CREATE SEQUENCE trials_data_version_seq;
CREATE TABLE trials_data_version (version bigint NOT NULL);
INSERT INTO trials_data_version VALUES (nextval('trials_data_version_seq'));
CREATE FUNCTION trials_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE trials_data_version SET version = nextval('trials_data_version_seq');
    RETURN NULL;
END $$;
CREATE TRIGGER trials_study_changes BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON trials_study
    FOR EACH STATEMENT EXECUTE FUNCTION trials_data_changed();
CREATE TRIGGER trials_site_changes BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON trials_site
    FOR EACH STATEMENT EXECUTE FUNCTION trials_data_changed();
"""

NO_DATA_VERSION = """
DROP TRIGGER trials_site_changes ON trials_site;
DROP TRIGGER trials_study_changes ON trials_study;
DROP FUNCTION trials_data_changed();
DROP TABLE trials_data_version;
DROP SEQUENCE trials_data_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0008_place_sites_without_coordinates"),
    ]

    operations = [
        migrations.RunSQL(DATA_VERSION, NO_DATA_VERSION),
        # The search filters studies and their sites in memory now: these served its queries.
        migrations.RemoveIndex(model_name="site", name="site_region"),
        migrations.RemoveIndex(model_name="site", name="site_location"),
        migrations.RemoveIndex(model_name="study", name="study_recently_updated"),
    ]
