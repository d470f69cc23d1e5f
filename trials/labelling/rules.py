"""TAXONOMY.md's rules over one record: what its counted mentions add up to.

Which mentions count is decided in mentions.py; here are the precedences between them: CSF
wording beats a bare "intraspinal"; MSC beats "bone-marrow stem cells", though not another arm's;
a named kind of cell beats "stem cells"; vesicles of MSCs are msc_derived, not msc, and other
cells' vesicles are of those cells' kind; a stated tissue beats a harvest site; a tissue that must be donated makes
cells allogeneic unless the record calls them the patient's own; an unstated tissue or donor is
"unspecified" once the study gives cells at all. Phases come straight from the design module.
"""

import re

from trials.labelling import cues
from trials.labelling.labels import Evidence, StudyLabels
from trials.labelling.mentions import Mention, counted_mentions
from trials.labelling.text import Passage, Role, items, mapping, passages
from trials.labelling.vocabulary import DONATED_TISSUES, LABEL_FIELDS, OWN_TISSUE, PHASES, Trait

# "intraspinal and intrathecal": the record names both as separate routes.
_COORDINATION = re.compile(r"[\s,/&+]*(?:and|or|plus)?[\s,/&+]*")
# Cell words that stand for a kind only when nothing in the record names it better.
_FALLBACKS = Trait.DERIVED | Trait.GENERIC | Trait.MARROW_LIKE
# Passages that speak for one arm or one intervention; where one of them calls bone-marrow cells
# nothing better, another arm's MSCs do not make them MSCs.
_UNIT_ROLES = (Role.INTERVENTION, Role.ARM)


def label_study(record: dict) -> StudyLabels:
    """The labels of one v2 record, each with the record fields and phrases behind it."""
    protocol = mapping(record, "protocolSection")
    record_passages = passages(protocol)
    counted = counted_mentions(protocol, record_passages)

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
        _cell_types(cells, record_passages, labels, add)
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


def _cell_types(cells: list[Mention], record_passages: list[Passage], labels: dict, add) -> None:
    """Named kinds of cells, then the fallbacks that only count when nothing names the kind."""
    consumed: set[int] = set()
    products = [m for m in cells if m.traits & Trait.DERIVED]
    unlinked = []
    for product in products:
        beside = [m for m in cells if m.clause is product.clause and not m.traits & Trait.DERIVED]
        of_msc = [m for m in beside if m.code("cell_types") == "msc"]
        if of_msc:  # "MSC-derived extracellular vesicles": the vesicles are given, not the cells
            add("cell_types", "msc_derived", product)
            consumed.update(id(m) for m in of_msc)
        elif beside:
            # Only MSCs' products have a code of their own; others take their cells' kind: "T cell-derived
            # exosomes" are an immune-cell product, "exosomes secreted by stem cells" of no named kind other_cell.
            for cell in beside:
                add("cell_types", cell.code("cell_types"), product)
        else:
            unlinked.append(product)
    # Vesicles named alone are those named with their cells elsewhere; if the record never says whose
    # they are, MSCs' when it speaks of MSCs.
    if len(unlinked) == len(products):
        says_msc = any(m.code("cell_types") == "msc" for m in cells)
        for product in unlinked:
            add("cell_types", "msc_derived" if says_msc else "other_cell", product)

    for mention in cells:
        if mention.traits & _FALLBACKS or id(mention) in consumed:
            continue
        code = mention.code("cell_types")
        about_the_cells = mention.passage.role in (Role.NARRATIVE, Role.KEYWORD)
        if code == "msc" and "msc_derived" in labels["cell_types"] and about_the_cells:
            continue  # a vesicle study's background, or keywords, on the cells that make them
        add("cell_types", code, mention)
    marrow = [m for m in cells if m.traits & Trait.MARROW_LIKE]
    of_msc = _units_of_msc(cells, record_passages) if marrow and "msc" in labels["cell_types"] else None
    for mention in marrow:
        if of_msc is None or (mention.passage.role in _UNIT_ROLES and _unit(mention.passage) not in of_msc):
            add("cell_types", "hematopoietic", mention)
    if not labels["cell_types"]:
        for mention in cells:
            add("cell_types", "other_cell", mention)


def _unit(passage: Passage) -> str:
    """The arm or intervention a passage belongs to: "...armGroups[1]" of "...armGroups[1].description"."""
    return passage.path[: passage.path.index("]") + 1]


def _units_of_msc(cells: list[Mention], record_passages: list[Passage]) -> set[str]:
    """The arms and interventions whose own words name MSCs, with the interventions an arm of MSCs
    names and the arms that name an intervention of MSCs: one product, described in both places."""
    of_msc = {_unit(m.passage) for m in cells if m.code("cell_types") == "msc" and m.passage.role in _UNIT_ROLES}
    names = {p.lowered: _unit(p) for p in record_passages if p.path.endswith(".name")}
    for passage in record_passages:
        if ".interventionNames[" in passage.path:
            intervention = names.get(passage.lowered.split(":", 1)[-1].strip())
            if intervention and (intervention in of_msc or _unit(passage) in of_msc):
                of_msc.update((intervention, _unit(passage)))
    return of_msc


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
    return cue is not None and cue[0] < mention.start - mention.clause.start


def _donors(counted: list[Mention], first_cell: Mention, labels: dict, add) -> None:
    inferred = Trait.ADULT_CELLS | Trait.IMMUNOSUPPRESSION
    said = [m for m in counted if m.code("donors") and not m.traits & inferred]
    said += [m for m in counted if m.code("cell_sources") and OWN_TISSUE.match(m.passage.lowered, m.end)]
    for mention in said:
        add("donors", mention.code("donors") or "autologous", mention)
    # Cord, placenta, embryo...: someone else's, unless the record says anywhere that the cells of
    # that tissue are the patient's own ("autologous umbilical cord blood banked at birth").
    own_tissues = {_tissue_of(m, counted) for m in said if m.code("donors") in ("autologous", None)}
    for mention in counted:
        tissue = mention.code("cell_sources")
        if tissue in DONATED_TISSUES and tissue in labels["cell_sources"] and tissue not in own_tissues:
            add("donors", "allogeneic", mention)
    if not said:
        for mention in counted:
            if mention.code("donors") and mention.traits & inferred:
                add("donors", "allogeneic", mention)
    if not labels["donors"]:
        add("donors", "unspecified", first_cell)


def _tissue_of(said: Mention, counted: list[Mention]) -> str | None:
    """The tissue that donor words qualify: the first named after them in their clause, else the
    last before ("cord blood (autologous)"). "Autologous bone marrow cells or umbilical cord MSCs"
    says nothing of whose the cord is."""
    tissues = [m for m in counted if m.clause is said.clause and m.code("cell_sources")]
    after = [m for m in tissues if m.start >= said.end]
    before = [m for m in tissues if m.end <= said.start]
    nearest = after[0] if after else before[-1] if before else None
    return nearest.code("cell_sources") if nearest else None
