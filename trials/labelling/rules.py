"""TAXONOMY.md's rules over one record: what its counted mentions add up to.

Which mentions count is decided in mentions.py; here are the precedences between them: CSF
wording beats a bare "intraspinal"; MSC beats "bone-marrow stem cells"; a named kind of cell
beats "stem cells"; vesicles of MSCs are msc_derived, not msc; a stated tissue beats a harvest
site; a tissue that must be donated makes cells allogeneic; an unstated tissue or donor is
"unspecified" once the study gives cells at all. Phases come straight from the design module.
"""

import re

from trials.labelling import cues
from trials.labelling.labels import Evidence, StudyLabels
from trials.labelling.mentions import Mention, counted_mentions
from trials.labelling.text import OWN_WORDS, items, mapping, passages
from trials.labelling.vocabulary import DONATED_TISSUES, LABEL_FIELDS, PHASES, Trait

# "intraspinal and intrathecal": the record names both as separate routes.
_COORDINATION = re.compile(r"[\s,/&+]*(?:and|or|plus)?[\s,/&+]*")
# Cell words that stand for a kind only when nothing in the record names it better.
_FALLBACKS = Trait.DERIVED | Trait.GENERIC | Trait.MARROW_LIKE


def label_study(record: dict) -> StudyLabels:
    """The labels of one v2 record, each with the record fields and phrases behind it."""
    protocol = mapping(record, "protocolSection")
    counted = counted_mentions(protocol, passages(protocol))

    labels = {name: set() for name in LABEL_FIELDS}
    evidence = Evidence()

    def add(label_field: str, code: str, mention: Mention) -> None:
        labels[label_field].add(code)
        if not evidence.is_full(label_field, code):
            evidence.add(label_field, code, mention.passage.path, mention.phrase)

    phases = items(mapping(protocol, "designModule").get("phases"))
    for phase in phases:
        if phase in PHASES:
            labels["phases"].add(phase)
            evidence.add("phases", phase, "protocolSection.designModule.phases", phase)
    _routes(counted, add)
    cells = [m for m in counted if m.code("cell_types")]
    if cells:
        _cell_types(cells, labels, add)
        # What "unspecified" refers to: the product, named as specifically as the record does.
        product = next((m for m in cells if not m.traits & _FALLBACKS), cells[0])
        _cell_sources(counted, product, add)
        _donors(counted, product, labels, add)

    return StudyLabels(
        nct_id=_nct_id(protocol),
        **{name: tuple(sorted(codes)) for name, codes in labels.items()},
        evidence=evidence.for_labels(labels),
    )


def _nct_id(protocol: dict) -> str | None:
    nct_id = mapping(protocol, "identificationModule").get("nctId")
    return nct_id if isinstance(nct_id, str) else None


def _routes(counted: list[Mention], add) -> None:
    routes = [(m, m.code("routes")) for m in counted if m.term.field == "routes"]
    csf = [m for m, code in routes if code == "intrathecal"]
    spinal = any(code == "intraspinal" for _, code in routes)
    for mention, code in routes:
        if mention.traits & Trait.BARE_SPINAL and csf and not _coordinated(mention, csf):
            continue  # TAXONOMY.md: CSF wording wins over a bare "intraspinal"
        if mention.traits & Trait.STEREOTACTIC and spinal:
            continue  # the frame guides a spinal-cord injection
        add("routes", code, mention)


def _coordinated(mention: Mention, others: list[Mention]) -> bool:
    for other in others:
        if other.clause is mention.clause:
            first, second = sorted((mention, other), key=lambda m: m.start)
            if _COORDINATION.fullmatch(mention.passage.lowered[first.end : second.start]):
                return True
    return False


def _cell_types(cells: list[Mention], labels: dict, add) -> None:
    """Named kinds of cells, then the fallbacks that only count when nothing names the kind."""
    consumed: set[int] = set()
    unlinked = []
    for product in (m for m in cells if m.traits & Trait.DERIVED):
        beside = [m for m in cells if m.clause is product.clause and not m.traits & Trait.DERIVED]
        of_msc = [m for m in beside if m.code("cell_types") == "msc"]
        if of_msc:  # "MSC-derived extracellular vesicles": the vesicles are given, not the cells
            add("cell_types", "msc_derived", product)
            consumed.update(id(m) for m in of_msc)
        elif beside:  # "exosomes secreted by stem cells" of no named kind
            add("cell_types", "other_cell", product)
        else:
            unlinked.append(product)
    says_msc = any(m.code("cell_types") == "msc" for m in cells)
    for product in unlinked:
        add("cell_types", "msc_derived" if says_msc or "msc_derived" in labels["cell_types"] else "other_cell", product)

    for mention in cells:
        if mention.traits & _FALLBACKS or id(mention) in consumed:
            continue
        code = mention.code("cell_types")
        if code == "msc" and "msc_derived" in labels["cell_types"] and mention.passage.role not in OWN_WORDS:
            continue  # a vesicle study's background on the cells that make them
        add("cell_types", code, mention)
    for mention in cells:
        if mention.traits & Trait.MARROW_LIKE and "msc" not in labels["cell_types"]:
            add("cell_types", "hematopoietic", mention)
    if not labels["cell_types"]:
        for mention in cells:
            add("cell_types", "other_cell", mention)


def _cell_sources(counted: list[Mention], first_cell: Mention, add) -> None:
    """Stated tissues; harvest sites only when nothing else names the tissue."""
    stated, harvested = [], []
    for mention in counted:
        if mention.code("cell_sources"):
            (harvested if _harvest(mention) else stated).append(mention)
    for mention in stated or harvested:
        add("cell_sources", mention.code("cell_sources"), mention)
    if not (stated or harvested):
        add("cell_sources", "unspecified", first_cell)


def _harvest(mention: Mention) -> bool:
    if mention.traits & Trait.HARVEST:
        return True
    cue = mention.clause.cue(cues.HARVEST)
    return cue is not None and cue.start() < mention.start - mention.clause.start


def _donors(counted: list[Mention], first_cell: Mention, labels: dict, add) -> None:
    inferred = Trait.ADULT_CELLS | Trait.IMMUNOSUPPRESSION
    said = [m for m in counted if m.code("donors") and not m.traits & inferred]
    for mention in said:
        add("donors", mention.code("donors"), mention)
    own_clauses = {id(m.clause) for m in said if m.code("donors") == "autologous"}
    for mention in counted:
        tissue = mention.code("cell_sources")
        if tissue in DONATED_TISSUES and tissue in labels["cell_sources"] and id(mention.clause) not in own_clauses:
            add("donors", "allogeneic", mention)  # cord, placenta, embryo...: someone else's
    if not said:
        for mention in counted:
            if mention.code("donors") and mention.traits & inferred:
                add("donors", "allogeneic", mention)
    if not labels["donors"]:
        add("donors", "unspecified", first_cell)
