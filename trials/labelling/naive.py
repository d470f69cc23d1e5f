"""The baseline: a label whenever its keyword appears anywhere in the record.

This is what matching words without reading them gets (dev/README.md quotes its scores); the
evaluation prints it beside the real labeller so the gain is visible.
"""

import json
import re

from trials.labelling.labels import StudyLabels
from trials.labelling.text import items, mapping
from trials.labelling.vocabulary import PHASES

KEYWORDS = {
    "routes": {
        "intrathecal": r"intrathecal|lumbar puncture",
        "intracerebroventricular": r"intracerebroventricular|ommaya",
        "intraspinal": r"intraspinal|into the spinal cord",
        "intracerebral": r"intracerebral|stereotactic",
        "intravenous": r"intravenous|\biv\b",
        "intra_arterial": r"intra-?arterial|intracoronary",
        "intramuscular": r"intramuscular",
        "subcutaneous": r"subcutaneous",
        "oral": r"\boral|tablet|capsule",
        "intranasal": r"intranasal|nasal",
        "inhaled": r"inhal",
        "transdermal": r"transdermal|topical|patch",
        "other": r"intra-?articular|intravitreal|intralesional",
    },
    "cell_types": {
        "msc": r"mesenchymal|\bmsc",
        "msc_derived": r"exosome|extracellular vesicle|secretome",
        "neural": r"neural stem|neural progenitor",
        "hematopoietic": r"hematopoietic|haematopoietic|mononuclear",
        "immune": r"regulatory t|\btreg|natural killer|dendritic cell",
        "other_cell": r"stem cell",
    },
    "cell_sources": {
        "bone_marrow": r"bone marrow",
        "adipose": r"adipose",
        "umbilical_cord": r"umbilical|wharton",
        "placenta": r"placenta",
        "dental_pulp": r"dental pulp",
        "peripheral_blood": r"peripheral blood",
        "fetal_tissue": r"fetal",
        "embryonic": r"embryonic",
        "ipsc": r"pluripotent|ipsc",
    },
    "donors": {"autologous": r"autologous", "allogeneic": r"allogeneic|allogenic|donor"},
}
_PATTERNS = {name: {code: re.compile(words) for code, words in codes.items()} for name, codes in KEYWORDS.items()}


def naive_label_study(record: dict) -> StudyLabels:
    text = json.dumps(record, ensure_ascii=False).lower()
    protocol = mapping(record, "protocolSection")
    phases = tuple(sorted(p for p in items(mapping(protocol, "designModule").get("phases")) if p in PHASES))
    found = {
        name: tuple(sorted(code for code, pattern in codes.items() if pattern.search(text)))
        for name, codes in _PATTERNS.items()
    }
    nct_id = mapping(protocol, "identificationModule").get("nctId")
    return StudyLabels(nct_id=nct_id if isinstance(nct_id, str) else None, phases=phases, **found)
