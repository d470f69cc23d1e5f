"""Route, cell-type, cell-source and donor labels derived from a ClinicalTrials.gov v2 record.

The registry has no structured field for how a product is given or where cells come from;
they are in intervention names and descriptions, arm groups, titles and summaries. This
package reads them in the vocabulary of data/ctgov/TAXONOMY.md. Pure: no database, no
network.
"""

from trials.labelling.labels import StudyLabels
from trials.labelling.rules import label_study

__all__ = ["StudyLabels", "label_study"]
