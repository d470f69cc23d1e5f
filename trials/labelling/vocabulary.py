"""The label codes of ../shared/ctgov/TAXONOMY.md and the wording that names each of them.

The codes are a contract (evaluation tools compare against them), so they are spelled out once
here. Each `Term` is a pattern and the labels it names; its traits tell mentions.py and
rules.py what else a mention needs before it counts. `WORDS` are matched on lower-cased text,
`ABBREVIATIONS` on the original text: "IV", "IT" and "MSC" are abbreviations only in capitals
(a lower-case prefix may lead one: "hUC-MSC"; "sEV" is read as "EV"). Every pattern starts with
a literal stem, which the scanner indexes, and has no capturing groups. Where two terms start
at one place the earlier wins, so compounds come before their parts.
"""

import re
from dataclasses import dataclass

PHASES = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA")
ROUTES = (
    "intrathecal",
    "intracerebroventricular",
    "intraspinal",
    "intracerebral",
    "intravenous",
    "intra_arterial",
    "intramuscular",
    "subcutaneous",
    "oral",
    "intranasal",
    "inhaled",
    "transdermal",
    "other",
)
CELL_TYPES = ("msc", "msc_derived", "neural", "hematopoietic", "immune", "other_cell")
CELL_SOURCES = (
    "bone_marrow",
    "adipose",
    "umbilical_cord",
    "placenta",
    "dental_pulp",
    "peripheral_blood",
    "fetal_tissue",
    "embryonic",
    "ipsc",
    "other",
    "unspecified",
)
DONORS = ("autologous", "allogeneic", "unspecified")
FIELDS = {"phases": PHASES, "routes": ROUTES, "cell_types": CELL_TYPES, "cell_sources": CELL_SOURCES, "donors": DONORS}
LABEL_FIELDS = tuple(FIELDS)

# The words that name each label in the full-text search (trials.querysets.label_words_expression),
# so that words find the studies the labeller read them in, wherever the record says them.
# Phases have filters of their own; "other" and "unspecified" name nothing to search for.
SEARCH_WORDS = {
    "routes": {
        "intrathecal": "intrathecal",
        "intracerebroventricular": "intracerebroventricular",
        "intraspinal": "intraspinal",
        "intracerebral": "intracerebral",
        "intravenous": "intravenous",
        "intra_arterial": "intra-arterial",
        "intramuscular": "intramuscular",
        "subcutaneous": "subcutaneous",
        "oral": "oral",
        "intranasal": "intranasal",
        "inhaled": "inhaled",
        "transdermal": "transdermal",
    },
    "cell_types": {
        "msc": "mesenchymal stem cells (MSC)",
        "msc_derived": "MSC-derived",
        "neural": "neural stem cells",
        "hematopoietic": "hematopoietic stem cells",
        "immune": "immune cells",
    },
    "cell_sources": {
        "bone_marrow": "bone marrow",
        "adipose": "adipose",
        "umbilical_cord": "umbilical cord",
        "placenta": "placenta",
        "dental_pulp": "dental pulp",
        "peripheral_blood": "peripheral blood",
        "fetal_tissue": "fetal tissue",
        "embryonic": "embryonic",
        "ipsc": "iPSC",
    },
    "donors": {"autologous": "autologous", "allogeneic": "allogeneic"},
}

# Tissues whose cells can only be someone else's (TAXONOMY.md, donors), unless said to be own.
DONATED_TISSUES = frozenset({"umbilical_cord", "placenta", "fetal_tissue", "embryonic", "ipsc"})


class Trait:
    """What a mention needs, beyond its words, to count. Bit flags: they are tested per mention."""

    NONE = 0
    NEEDS_ADMIN = 1 << 0  # route: only in a clause that gives something ("lumbar puncture" also samples CSF)
    BARE_SPINAL = 1 << 1  # "intraspinal" alone: CSF wording elsewhere wins (TAXONOMY.md)
    STEREOTACTIC = 1 << 2  # brain surgery unless the record injects the spinal cord
    DIETARY = 1 << 3  # food and diet: oral, but not in a behavioural programme
    NEEDS_PRODUCT = 1 << 4  # cell words biology also uses (T cells, exosomes): need a product context
    GENERIC = 1 << 5  # stem cells of no named kind: other_cell if nothing more specific
    MARROW_LIKE = 1 << 6  # bone-marrow stem cells, cord blood: hematopoietic unless called MSC
    DERIVED = 1 << 7  # exosomes, vesicles, secretome: msc_derived when of MSCs
    HARVEST = 1 << 8  # a tissue named by its harvest (liposuction): the source, never a route
    ADULT_CELLS = 1 << 9  # "adult" cells given to children are someone else's
    IMMUNOSUPPRESSION = 1 << 10  # a graft protected from rejection is someone else's


@dataclass(frozen=True)
class Term:
    pattern: str
    labels: dict[str, str]  # label field -> code; the first is what the term is about
    traits: int = Trait.NONE
    reject_before: re.Pattern | None = None  # words just before the match that rule it out

    @property
    def field(self) -> str:
        return next(iter(self.labels))


def _term(field: str, code: str, pattern: str, traits=Trait.NONE, reject_before: str | None = None, **more) -> Term:
    return Term(
        pattern, {field: code, **more}, traits, re.compile(rf"(?:{reject_before})\W*$") if reject_before else None
    )


def route(code, pattern, traits=Trait.NONE, reject_before=None):
    return _term("routes", code, pattern, traits, reject_before)


def cell(code, pattern, traits=Trait.NONE, source=None, reject_before=None):
    return _term("cell_types", code, pattern, traits, reject_before, **({"cell_sources": source} if source else {}))


def source(code, pattern, traits=Trait.NONE, reject_before=None):
    return _term("cell_sources", code, pattern, traits, reject_before)


def donor(code, pattern, traits=Trait.NONE):
    return _term("donors", code, pattern, traits)


S = r"[\s-]+"  # a space or hyphen between words
CELLS = rf"(?={S}cells?\b)"  # followed by "cells", left for the next term ("cell line")
STEM = rf"(?:{S}derived)?{S}(?:mesenchymal{S})?(?:stem|stromal|progenitor|regenerative)\b"

# A route word that describes a device, a tissue, a disease or a measurement, not how a product is
# given: "intramuscular diaphragm electrodes", "subcutaneous tissues", "intravenous line",
# "intracerebral haemorrhage", "intraocular cancers".
_NOT_GIVEN = (
    r"(?![\s,]+(?:(?!injections?|infusions?|administration|delivery|doses?)[\w-]+[\s,]+)?"
    r"(?:electrodes?|stimulat\w*|wires?|leads?|sensors?|recordings?|emg|tissues?|fat|adipose|layers?|biops\w*"
    r"|lines?|access|cannula\w*|catheteri[sz]ation|pressures?|monitor\w*|glucose|ha?emorrhages?|bleed\w*"
    r"|h[ae]matomas?|doppler|imaging|ultrasound|angiograph\w*|temperatures?|swabs?|nodules?|emphysema|devices?|growth"
    r"|cancers?|tumou?rs?|carcinomas?|melanomas?|malignan\w*|neoplas\w*|metasta\w*|fractures?|infections?)\b)"
)
# Abbreviations count only beside what they abbreviate the route of: "IT bolus", "SC every 2 weeks",
# "IM and IT injection".
_DOSING = (
    r"(?i:(?=(?:\s*(?:,|/|and|or)\s*(?:iv|it|im|sc|icv|po))?\s+(?:bolus|injections?|infusions?|administration"
    r"|administered|dos(?:e|es|ing)|delivery|route|every|once|twice|three|four|daily|weekly|monthly|q\d*[dhw]\w*"
    r"|bid|tid|qid|qd)\b|\s*,\s+(?:once|twice|daily|weekly|every)\b))"
)
_ORAL_NOT_A_ROUTE = (
    r"(?![\s-]+(?:mucosa\w*|cavity|hygiene|health|care|presentations?|consent|communication|exam\w*|surg\w*"
    r"|cancers?|lesions?|language|motor|glucose|history|reports?|interviews?|questionnaires?|informed|feedback"
    r"|information|fluency|apraxia|phase|stage|transit|musc\w*|facial|dyskinesia|pharyn\w*|microbio\w*"
    r"|processing|intake|secretions?|and\s+written)\b)"
)
# Cells made from MSCs are MSCs (TAXONOMY.md): "MSC-derived neural progenitors"; and what cells
# can "differentiate into" is biology, not the product.
_NOT_A_NEURAL_PRODUCT = r"(?:mscs?|mesenchymal\s+(?:stem|stromal)\s+cells?)[\s-]*derived|differentiat\w*\s+into|become"
# Stem cells that something else is made from ("motor neurons derived from patients' stem cells"
# in a drug's rationale) are its starting material, not a product.
_STARTING_MATERIAL = r"(?:derived|made|generated|differentiated|reprogrammed|produced)\s+from(?:\s+[\w'’-]+){0,3}"
# Fetal tissue, not "fetal demise" or "fetal bovine serum".
_FETAL_TISSUE = (
    rf"(?={S}(?:brain|spinal|neural|tissues?|cells?|neurons?|derived|cortical|cortex|mesencephal\w*|nigral|ventral"
    r"|origin)\b)"
)
# A tissue named for a disease or a procedure, not as where cells come from.
_NOT_A_SOURCE = (
    rf"(?!{S}(?:failure|suppression|toxicity|involvement|o?edema|lesions?|infiltration|fibrosis|aplasia|disorders?"
    r"|diseases?|cancers?|malignan\w*|metasta\w*|examination|hernias?|catheter\w*|lines?|insufficiency|previa"
    r"|abruption|accreta|delivery|weight)\b)"
)
# "cord blood-derived Tregs", "cord blood MSCs": the cells named next are the product.
_NOT_THE_PRODUCT = rf"(?!{S}(?:derived|mesenchymal|mscs?|stromal|tregs?|regulatory|nk|natural|t{S}cells?)\b)"
# Brain tissue a product is put into (TAXONOMY.md, intracerebral).
_BRAIN_TISSUE = (
    r"(?:(?:motor|cerebral|frontal|prefrontal|premotor|sensorimotor)\s+cortex|putamen|striatum|caudate"
    r"|substantia\s+nigra|hippocampus|thalamus|subthalamic\s+nucleus|globus\s+pallidus|basal\s+ganglia"
    r"|brain\s+parenchyma|peri-?infarct)"
)
# "into the brain", "into a part of the brain called the putamen", but not into its ventricles.
_INTO_THE_BRAIN = r"into\s+(?:the\s+|a\s+|each\s+)?(?:(?!ventric)[\w'’-]+\s+){0,3}?brain\b(?!'?s?\s+ventric)"
_FINDS_ITS_WAY = (
    r"cross\w*|penetrat\w*|enter\w*|pass\w*|reach\w*|access\w*|uptake|entry|transport\w*|distribut\w*|diffus\w*"
    r"|deliver\w*|migrat\w*|hom(?:e|es|ing)|travel\w*|way|get\w*|go\w*|look\w*|insights?|window"
)
_TARGET_ARTERIES = ("carotid", "vertebral", "cerebral", "basilar", "coronary", "hepatic", "liver", "splenic", "renal")
_TARGET_ARTERY = f"(?:{'|'.join(_TARGET_ARTERIES)})"
# Body sites where a product is injected locally: a stated route with no code of its own (`other`).
_LOCAL_SITE = (
    r"(?:ulcers?|wounds?|fistula[es]?|fistulous\s+tracts?|joints?|knees?|discs?|vitreous"
    r"|myocardium|heart\s+muscle|infarct(?:ed)?\s+(?:zone|area|region|myocardium))"
)
_GIVEN_AS = r"injections?|administration|infusions?|delivery|application|implantation|transplantation|bolus|route"

# The study's participants, as a harvest names them.
_PARTICIPANT_WORDS = ("patient", "participant", "subject")
_PARTICIPANTS = rf"(?:{'|'.join(_PARTICIPANT_WORDS)})s?"
_EACH_PARTICIPANT = rf"(?:the\s+|each\s+|all\s+|every\s+)?(?:[\w-]+\s+)?{_PARTICIPANTS}\b"
# After a tissue: "stem cells from the bone marrow of all participants". Read after source mentions
# (rules.py), as "bone marrow" is matched on its own.
OWN_TISSUE = re.compile(rf"\s+(?:of|from)\s+{_EACH_PARTICIPANT}")
_HARVESTING = (
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:aspiration|aspirate|liposuction|lipoaspiration|leuka?pheresis"
    r"|leukopheresis|apheresis|harvest\w*|biops(?:y|ies))\b"
)

WORDS: tuple[Term, ...] = (
    # --- cell products (compounds first: they also name the tissue) ---
    cell("msc", r"msc-ntf\b", source="bone_marrow"),  # TAXONOMY.md: MSC-NTF is bone-marrow MSC
    cell("msc", r"nurown", source="bone_marrow"),
    cell("msc", r"debamestrocel", source="bone_marrow"),  # the INN of MSC-NTF
    cell("msc", r"remestemcel"),  # -stemcel / -mestrocel: the INN stems for (mesenchymal) stem cells
    cell("msc", r"rexlemestrocel"),
    cell("msc", r"lenzumestrocel"),
    cell("msc", r"darvadstrocel"),
    cell("msc", rf"stromal{S}vascular{S}fraction", source="adipose"),
    cell("msc", r"admscs?\b", source="adipose"),  # "HB-adMSCs": adipose-derived MSCs
    cell("msc", rf"adipose(?:{S}tissue)?{STEM}", source="adipose"),
    cell("msc", rf"fat{S}derived{STEM}", source="adipose"),
    cell("msc", rf"adipose(?:{S}tissue)?{S}derived{CELLS}", source="adipose"),
    cell("msc", rf"umbilical{S}(?:cord{S})?(?:tissue{S})?derived{CELLS}", source="umbilical_cord"),
    cell("msc", rf"placenta(?:l)?{S}(?:derived|expanded){CELLS}", source="placenta"),
    cell("msc", rf"dental{S}pulp{STEM}", source="dental_pulp"),
    cell("msc", rf"wharton(?:'|’)?s?{S}jelly{STEM}", source="umbilical_cord"),
    cell("msc", rf"umbilical{S}cord(?:{S}(?:tissue|lining|matrix))?{STEM}", source="umbilical_cord"),
    cell("msc", rf"placenta(?:l)?(?:{S}expanded)?{STEM}", source="placenta"),
    cell("msc", rf"oral{S}mucosa(?:l)?{STEM}", source="other"),
    cell("msc", rf"menstrual{S}blood{STEM}", source="other"),
    cell(
        "msc",
        rf"mesenchymal(?={S}(?:like{S})?(?:stem|stromal|progenitor|precursor|cells?|mscs?|injection|transplant\w*"
        r"|therap\w*)\b)",
    ),
    cell("msc", rf"stromal(?:{S}stem)?{CELLS}"),
    cell("msc_derived", r"exosom\w*", Trait.DERIVED | Trait.NEEDS_PRODUCT),
    cell("msc_derived", r"exos?\b", Trait.DERIVED | Trait.NEEDS_PRODUCT),  # "MSC-Exo", "CSTC-Exo"
    cell("msc_derived", rf"extracellular{S}vesicles?", Trait.DERIVED | Trait.NEEDS_PRODUCT),
    cell("msc_derived", r"secretome", Trait.DERIVED | Trait.NEEDS_PRODUCT),
    cell("msc_derived", rf"conditioned{S}medi(?:um|a)\b", Trait.DERIVED | Trait.NEEDS_PRODUCT),
    cell(
        "neural",
        rf"neural{S}(?:stem|progenitor|precursor)(?:[\s/-]+(?:stem|progenitor))?{CELLS}",
        reject_before=_NOT_A_NEURAL_PRODUCT,
    ),
    cell("neural", rf"neuronal{S}(?:stem|progenitor|precursor){CELLS}", reject_before=_NOT_A_NEURAL_PRODUCT),
    cell("neural", rf"motor{S}neurons?{S}(?:progenitor|precursor)s?", reject_before=_NOT_A_NEURAL_PRODUCT),
    cell("neural", rf"glial{S}(?:restricted{S})?(?:progenitor|precursor)s?"),
    cell("neural", rf"oligodendrocyte{S}(?:progenitor|precursor)s?"),
    cell("neural", rf"astrocyte{S}(?:progenitor|precursor)s?"),
    cell("neural", r"astrocytes?\b", Trait.NEEDS_PRODUCT, reject_before=_NOT_A_NEURAL_PRODUCT),
    cell("neural", rf"dopamin\w*{S}(?:neurons?|progenitors?|precursors?)"),
    cell("neural", r"neurospheres?"),
    cell("neural", rf"central{S}nervous{S}system{S}(?:stem|progenitor|precursor){CELLS}"),
    *(
        cell("hematopoietic", rf"{spelling}{S}(?:stem|progenitor)", Trait.NEEDS_PRODUCT)
        for spelling in ("hematopoietic", "haematopoietic", "hemopoietic", "haemopoietic")
    ),
    cell("hematopoietic", rf"bone{S}marrow(?:{S}derived)?{S}mononuclear{CELLS}", source="bone_marrow"),
    cell(
        "hematopoietic",
        rf"bone{S}marrow(?:{S}derived)?{S}(?:stem(?:[\s/-]+progenitor)?|progenitor){CELLS}",
        Trait.MARROW_LIKE,
        source="bone_marrow",
    ),
    cell("hematopoietic", rf"bone{S}marrow(?:{S}derived)?{CELLS}", Trait.MARROW_LIKE, source="bone_marrow"),
    cell("hematopoietic", rf"bone{S}marrow{S}(?:aspirate{S})?concentrate", Trait.MARROW_LIKE, source="bone_marrow"),
    cell("hematopoietic", rf"bone{S}marrow{S}transplant\w*", Trait.MARROW_LIKE, source="bone_marrow"),
    *(
        cell("hematopoietic", rf"{cord}{S}blood{_NOT_THE_PRODUCT}", Trait.NEEDS_PRODUCT, "umbilical_cord", "spinal")
        for cord in (rf"umbilical{S}cord", "cord")
    ),
    cell("hematopoietic", r"cd34\+?", Trait.NEEDS_PRODUCT),
    cell("hematopoietic", r"cd133\+?", Trait.NEEDS_PRODUCT),
    cell("immune", rf"peripheral{S}blood{S}mononuclear{CELLS}", Trait.NEEDS_PRODUCT, source="peripheral_blood"),
    cell("hematopoietic", rf"mononuclear{CELLS}", Trait.NEEDS_PRODUCT),
    cell("immune", rf"regulatory{S}t{CELLS}", Trait.NEEDS_PRODUCT),
    cell("immune", r"tregs?\b", Trait.NEEDS_PRODUCT),
    cell("immune", rf"natural{S}killer(?:{S}t)?{CELLS}", Trait.NEEDS_PRODUCT),
    cell("immune", rf"nk{CELLS}", Trait.NEEDS_PRODUCT),
    cell("immune", rf"dendritic{CELLS}", Trait.NEEDS_PRODUCT),
    cell("immune", r"macrophages?\b", Trait.NEEDS_PRODUCT),
    cell("immune", r"car-t\b", Trait.NEEDS_PRODUCT),
    cell("immune", r"car t\b", Trait.NEEDS_PRODUCT),
    cell("immune", r"t cells?\b", Trait.NEEDS_PRODUCT),
    cell("immune", r"t-cells?\b", Trait.NEEDS_PRODUCT),
    cell("immune", r"t-lymphocytes?", Trait.NEEDS_PRODUCT),
    cell("immune", r"lymphocytes?\b", Trait.NEEDS_PRODUCT),
    cell(
        "other_cell",
        rf"amnio\w*(?:{S}(?:membrane|fluid))?(?:{S}derived)?{S}(?:epithelial|stem|progenitor){CELLS}",
        Trait.NEEDS_PRODUCT,
        source="placenta",
    ),
    cell("other_cell", r"chondrocytes?", Trait.NEEDS_PRODUCT),
    cell("other_cell", rf"cardiosphere{S}derived{CELLS}", Trait.NEEDS_PRODUCT),
    cell("other_cell", rf"retinal{S}pigment(?:ed)?{S}epitheli\w*", Trait.NEEDS_PRODUCT),
    cell("other_cell", r"fibroblasts?", Trait.NEEDS_PRODUCT),
    cell("other_cell", r"myoblasts?", Trait.NEEDS_PRODUCT),
    cell("other_cell", r"keratinocytes?", Trait.NEEDS_PRODUCT),
    cell("other_cell", rf"schwann{CELLS}", Trait.NEEDS_PRODUCT),
    cell("other_cell", rf"olfactory{S}ensheathing{CELLS}", Trait.NEEDS_PRODUCT, source="other"),
    cell("other_cell", rf"islets?(?:{CELLS}|{S}transplant\w*)", Trait.NEEDS_PRODUCT),
    *(
        cell("other_cell", rf"{kind}{CELLS}", Trait.GENERIC | Trait.NEEDS_PRODUCT, reject_before=_STARTING_MATERIAL)
        for kind in (r"stem(?:[\s/-]+progenitor)?", "progenitor")
    ),
    cell("other_cell", rf"derived{CELLS}", Trait.GENERIC | Trait.NEEDS_PRODUCT),  # "muscle-derived cells"
    cell(
        "other_cell",
        rf"cell{S}(?:based{S})?(?:therap(?:y|ies|eutics?)|transplant\w*|products?)",
        Trait.GENERIC | Trait.NEEDS_PRODUCT,
    ),
    cell("other_cell", rf"cellular{S}(?:therap(?:y|ies)|products?)", Trait.GENERIC | Trait.NEEDS_PRODUCT),
    # --- tissues the cells come from ---
    source("bone_marrow", rf"bone{S}marrow{_NOT_A_SOURCE}"),
    source("bone_marrow", r"marrow-derived"),
    source("bone_marrow", rf"iliac{S}crest", Trait.HARVEST),  # where marrow is aspirated
    source("adipose", r"adipose"),
    source("adipose", r"lipoaspirat\w*", Trait.HARVEST),
    source("adipose", r"liposuction", Trait.HARVEST),
    source("adipose", rf"fat{S}(?:tissue|derived|grafts?)"),
    source("umbilical_cord", rf"umbilical{_NOT_A_SOURCE}"),
    source("umbilical_cord", rf"wharton(?:'|’)?s?{S}jelly"),
    source("umbilical_cord", rf"cord{S}blood", reject_before="spinal"),
    source("umbilical_cord", rf"cord{S}(?:tissue|lining)", reject_before="spinal"),
    source("placenta", rf"placent\w*{_NOT_A_SOURCE}"),
    source("placenta", r"amnio\w*"),
    source("placenta", r"chorion\w*"),
    source("placenta", r"decidua\w*"),
    source("dental_pulp", rf"dental{S}pulp"),
    source("dental_pulp", rf"tooth{S}pulp"),
    source("dental_pulp", rf"exfoliated{S}(?:deciduous{S})?teeth"),
    source("dental_pulp", rf"deciduous{S}teeth"),
    source("peripheral_blood", rf"peripheral{S}blood"),
    source("peripheral_blood", rf"mobili[sz]ed{S}(?:peripheral{S})?blood"),
    source("peripheral_blood", r"leuka?pheres\w*", Trait.HARVEST),
    source("peripheral_blood", r"leukopheres\w*", Trait.HARVEST),
    source("peripheral_blood", r"apheres\w*", Trait.HARVEST),
    source(
        "fetal_tissue",
        rf"fetal{_FETAL_TISSUE}",
    ),
    source(
        "fetal_tissue",
        rf"foetal{_FETAL_TISSUE}",
    ),
    source("fetal_tissue", r"fetus(?:es)?\b"),
    source("embryonic", rf"embryonic{S}stem"),
    source("embryonic", r"embryos?\b"),
    source("ipsc", rf"induced{S}pluripotent"),
    source("ipsc", r"ipscs?\b"),
    source("ipsc", r"hipscs?\b"),
    source("ipsc", rf"ips{CELLS}"),
    source("other", rf"oral{S}mucosa"),
    source("other", r"gingiva\w*"),
    source("other", r"menstrual"),
    source("other", r"endometri\w*"),
    source("other", rf"olfactory{S}mucosa"),
    source("other", r"synovi\w*"),
    source("other", rf"muscle{S}derived"),
    source("other", rf"skin{S}derived"),
    source("other", rf"dermal(?={S}(?:fibroblasts?|cells?|stem|papilla)\b)"),
    source("other", rf"hair{S}follicles?"),
    # --- whose cells ---
    donor("autologous", r"auto[\s-]?logous"),
    donor("autologous", r"autogene?ic"),
    donor("autologous", rf"self{S}derived"),
    donor("autologous", r"patient-(?:derived|specific)"),  # "patient-specific iPSCs"
    donor("autologous", r"\(self\)"),
    # "the patient's own bone marrow", "their own cells", "autologous (patient's own)"
    donor(
        "autologous",
        r"own\b(?=\s*\)|\s+(?:[\w-]+\s+)?(?:cells?|bone|marrow|fat|adipose|lipoaspirate|blood|cord|stem|mesenchymal"
        r"|tissues?|mscs?|tregs?|platelets?|fibroblasts?)\b)",
    ),
    # Cells harvested from the participants themselves: "patients will undergo bone marrow aspiration",
    # "adipose tissue harvested from each subject" (and see OWN_TISSUE). Lookaheads leave the tissue
    # to be read as the source.
    *(
        donor("autologous", rf"{who}s?\b(?=[^.;]{{0,40}}?\b(?:undergo|underwent|undergoes|undergoing)\s+{_HARVESTING})")
        for who in _PARTICIPANT_WORDS
    ),
    *(
        donor("autologous", rf"{verb}\s+from\s+{_EACH_PARTICIPANT}")
        for verb in ("harvested", "aspirated", "collected", "obtained", "isolated", "extracted")
    ),
    donor("allogeneic", r"allogene(?:ic|ous)"),
    donor("allogeneic", r"allogenic"),
    donor("allogeneic", rf"donors?\b(?!{S}sites?\b)"),
    donor("allogeneic", r"donated"),
    donor("allogeneic", rf"off{S}the{S}shelf"),
    donor("allogeneic", rf"third{S}party"),
    donor("allogeneic", r"haplo-?identical"),
    *(
        donor("allogeneic", rf"{who}(?={S}(?:[\w-]+{S})?(?:donors?|cord|umbilical|bone|stem|cells?|units?|grafts?)\b)")
        for who in ("unrelated", r"siblings?")  # "unrelated cord blood units", "sibling cord blood"
    ),
    donor("allogeneic", rf"hla{S}(?:matched|mismatched|identical)"),
    donor("allogeneic", rf"cell{S}lines?\b(?!{S}derived{S}neurotrophic)"),  # a named cell line
    # Lookaheads, so "adult stem cells" is still read as stem cells.
    donor(
        "allogeneic",
        rf"adult(?={S}(?:human{S})?(?:bone{S}marrow(?:{S}derived)?{S})?(?:mesenchymal|stem|stromal|progenitor))",
        Trait.ADULT_CELLS,
    ),
    donor(
        "allogeneic",
        r"immuno-?suppress\w*\s+(?:regimen|protocol|therapy|treatment|drugs?|medications?|agents?|with|using)\b",
        Trait.IMMUNOSUPPRESSION,
    ),
    # --- routes ---
    route(
        "intrathecal",
        rf"intra[\s-]?thecal(?:ly)?{_NOT_GIVEN}"
        rf"(?!{S}(?:synthesis|production|igg|immunoglobulins?|antibod\w*|oligoclonal)\b)",  # a CSF measurement
    ),
    route("intrathecal", r"intra[\s-]?cisternal(?:ly)?"),
    route("intrathecal", rf"cisterna{S}magna"),
    route("intrathecal", rf"subarachnoid(?:ly)?{_NOT_GIVEN}(?!{S}(?:cysts?|cisterns?)\b)"),
    route("intrathecal", r"into\s+the\s+spinal\s+canal"),
    route("intrathecal", rf"thecal{S}sac"),
    route("intrathecal", r"i\.\s?t\.(?![a-z])"),
    route("intrathecal", rf"spinal{S}taps?\b", Trait.NEEDS_ADMIN),
    route("intrathecal", rf"lumbar{S}cistern"),
    route("intrathecal", r"via lp\b", Trait.NEEDS_ADMIN),
    route("intrathecal", r"by lp\b", Trait.NEEDS_ADMIN),
    route("intrathecal", rf"lumbar(?=(?:,?\s+(?:and|or)\s+[\w-]+)?\s+(?:{_GIVEN_AS}|it|intrathecal)\b)"),
    route("intrathecal", r"lumbar\s+punctures?", Trait.NEEDS_ADMIN),
    route("intrathecal", r"into\s+(?:the\s+)?(?:csf|cerebro-?\s?spinal\s+fluid|cerebral\s+spinal\s+fluid)"),
    route("intrathecal", r"to the\s+(?:csf|cerebro-?\s?spinal\s+fluid|cerebral\s+spinal\s+fluid)", Trait.NEEDS_ADMIN),
    route("intracerebroventricular", r"intra[\s-]?cerebro[\s-]?ventricular(?:ly)?"),
    route("intracerebroventricular", rf"intra[\s-]?ventricular(?:ly)?{_NOT_GIVEN}"),
    route("intracerebroventricular", r"ommaya"),
    route(
        "intracerebroventricular",
        r"into\s+the\s+(?:(?:lateral|ipsilateral|contralateral|cerebral|brain)\s+)+ventricles?\b",
    ),
    route("intracerebroventricular", r"into\s+the\s+(?:[\w-]+\s+)?ventricles?\s+of\s+the\s+brain\b"),
    route("intracerebroventricular", rf"ventricular{S}(?:reservoir|access{S}device)"),
    route("intraspinal", r"intra[\s-]?spinal(?:ly)?", Trait.BARE_SPINAL),
    # Intramedullary means in the spinal cord, but also in a bone's marrow cavity (a nail, a rod).
    route(
        "intraspinal",
        rf"intra[\s-]?medullar(?:y|ly)?\b(?!{S}(?:nails?|nailing|rods?|fixation|canal|cavity|bone|reaming|pins?)\b)",
    ),
    route("intraspinal", rf"intra[\s-]?parenchymal(?={S}(?:spinal|cord)\b)"),
    # "into the cervical and lumbar regions of the spinal cord", but not "into the CSF of the spinal cord"
    route(
        "intraspinal",
        r"into\s+the\s+(?:(?!csf\b|cerebro|fluid|canal|space|subarachnoid)[\w-]+\s+){0,6}?(?:spinal\s+)?cords?\b"
        r"(?!\s+(?:fluid|canal|blood))",
    ),
    route("intraspinal", rf"spinal{S}cords?{S}(?:injections?|implantation|transplantation|grafting|delivery)"),
    route("intraspinal", r"laminectomy", Trait.NEEDS_ADMIN),
    route("intracerebral", rf"intra[\s-]?cerebral(?:ly)?{_NOT_GIVEN}"),
    route("intracerebral", r"intra[\s-]?(?:putamin\w*|striatal(?:ly)?|nigral|hippocampal)"),
    route("intracerebral", rf"intra[\s-]?cranial(?:ly)?{_NOT_GIVEN}"),
    # "into the bilateral posterior putamen", "into the left striatum"
    route("intracerebral", rf"into\s+(?:the\s+|each\s+|both\s+)?(?:[\w'’-]+\s+){{0,3}}?{_BRAIN_TISSUE}\b"),
    # "injected into the brain"; not where a drug or cells find their way there ("crosses into the brain").
    route("intracerebral", _INTO_THE_BRAIN, Trait.NEEDS_ADMIN, reject_before=_FINDS_ITS_WAY),
    # Implanting is no ADMINISTRATION cue (devices are implanted too), so the words say it here.
    *(route("intracerebral", rf"{verb}\w*\s+(?:[\w-]+\s+){{0,4}}?{_INTO_THE_BRAIN}") for verb in ("implant", "graft")),
    route("intracerebral", r"stereota(?:ctic|xic)\w*\s+(?:[\w-]+\s+)?(?:implant|graft)\w*", Trait.STEREOTACTIC),
    route("intracerebral", r"stereota(?:ctic|xic)\w*", Trait.STEREOTACTIC | Trait.NEEDS_ADMIN),
    route("intravenous", rf"intra[\s-]?venous(?:ly)?{_NOT_GIVEN}"),
    route("intravenous", r"i\.\s?v\.?(?![a-z])"),
    *(route("intravenous", rf"{way}\s+(?:a|the)\s+(?:[\w-]+\s+)?vein\b") for way in ("into", "through", "via")),
    route("intravenous", rf"vein{S}(?:infusions?|injections?|drips?)"),
    route("intravenous", rf"venous{S}(?:infusions?|injections?|drips?)"),
    route("intra_arterial", rf"intra[\s-]?arterial(?:ly)?{_NOT_GIVEN}"),
    route("intra_arterial", rf"intra[\s-]?coronar(?:y|ily){_NOT_GIVEN}"),
    route("intra_arterial", rf"intra[\s-]?carotid{_NOT_GIVEN}"),
    route("intra_arterial", r"into\s+the\s+(?:[\w-]+\s+){0,3}arter(?:y|ies)\b"),
    # "delivered via the internal carotid artery"; not "via the femoral artery", where catheters go in.
    *(
        route("intra_arterial", rf"{way}\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{_TARGET_ARTERY}\s+arter(?:y|ies)\b")
        for way in ("via", "through")
    ),
    # "hepatic arterial infusion", "coronary artery injection"
    *(route("intra_arterial", rf"{artery}{S}arter(?:y|ial){S}(?:{_GIVEN_AS})\b") for artery in _TARGET_ARTERIES),
    route("intramuscular", rf"intra[\s-]?muscular(?:ly)?{_NOT_GIVEN}"),
    route("intramuscular", r"i\.\s?m\.?(?![a-z])"),
    route("intramuscular", rf"im\b{_DOSING}"),
    route(
        "intramuscular",
        r"into\s+the\s+(?:[\w-]+\s+){0,2}(?:muscles?|biceps|deltoid|quadriceps|gastrocnemius|tibialis|thigh)\b",
        Trait.NEEDS_ADMIN,
    ),
    route("subcutaneous", rf"sub[\s-]?cutaneous(?:ly)?{_NOT_GIVEN}"),
    route("subcutaneous", r"s\.\s?c\.?(?![a-z])"),
    route("subcutaneous", rf"sc\b{_DOSING}"),
    route("subcutaneous", r"subq\b"),
    route("subcutaneous", r"under the skin"),
    route("oral", rf"oral(?:ly)?\b{_ORAL_NOT_A_ROUTE}{_NOT_GIVEN}"),
    route("oral", r"by mouth"),
    route("oral", r"per os\b"),
    route("oral", r"p\.\s?o\.?(?![a-z])(?!\s*box)"),
    route("oral", rf"po\b(?:{_DOSING}|(?=\s+\d))"),
    route(
        "oral",
        r"tablets?\b(?!\s+(?:computers?|devices?|pcs?|apps?|screens?)\b)",
        reject_before=r"digital|electronic|touch|touchscreen|android|ipad|samsung|apple",
    ),
    route("oral", r"capsules?\b(?!\s+endoscop\w*)"),
    route("oral", r"pills?\b"),
    route(
        "oral",
        r"swallow(?:s|ed|ing)?(?=\s+(?:[\w-]+\s+){0,2}?(?:liquids?|foods?|boluse?s?|purees?|solids?|water|capsules?"
        r"|tablets?|pills?|drinks?|meals?)\b)",
    ),
    route("oral", r"enteral(?:ly)?\b"),
    route(
        "oral", r"via\s+(?:the\s+|a\s+|their\s+)?(?:peg|g-tube|gastrostomy|nasogastric|feeding)\b", Trait.NEEDS_ADMIN
    ),
    route("oral", r"lozenges?"),
    route("oral", r"syrups?\b"),
    route("oral", r"sublingual(?:ly)?"),
    route("oral", rf"buccal(?:ly)?{_NOT_GIVEN}(?!{S}mucosa)"),
    *(
        # Not the procedure that fits the tube: "placement of a feeding tube", "PEG tube insertion".
        route(
            "oral",
            rf"{tube}{S}tubes?(?!{S}(?:placement|insertion|removal)\b)",
            Trait.NEEDS_ADMIN,
            reject_before=r"(?:placement|insertion|removal)\s+of(?:\s+(?:a|an|the))?",
        )
        for tube in ("peg", "gastrostomy", "nasogastric", "feeding")
    ),
    route(
        "oral",
        rf"diets?\b(?!{S}(?:history|questionnaires?|records?|diar(?:y|ies)|assessments?|counsel\w*)\b)",
        Trait.DIETARY,
        reject_before=r"usual|habitual|normal|regular|current|stable|their|own",
    ),
    route("oral", rf"dietary{S}supplements?", Trait.DIETARY),
    route("oral", rf"food{S}supplements?", Trait.DIETARY),
    route("oral", rf"nutritional{S}supplements?", Trait.DIETARY),
    route(
        "oral",
        rf"foods?\b(?!{S}(?:and{S}drug|allerg\w*|diar(?:y|ies)|records?|frequency|intake)\b)",
        Trait.DIETARY,
        reject_before=r"usual|habitual|normal|regular|current|their|own",
    ),
    route("oral", r"supplements?\b", Trait.DIETARY, reject_before=r"oxygen"),
    route("oral", r"beverages?\b", Trait.DIETARY),
    route("intranasal", r"intra[\s-]?nasal(?:ly)?"),
    route(
        "intranasal",
        rf"nasal(?={S}(?:sprays?|drops?|administration|instillation|delivery|route|powder|gel|insufflation)\b)",
    ),
    route("intranasal", rf"nose{S}drops?"),
    route("intranasal", r"into\s+(?:the|each)\s+(?:nose|nostrils?)\b"),
    route("inhaled", rf"inhal(?:ed|ation|ations|er|ers|ing)\b{_NOT_GIVEN}(?!\s+injur\w*)", reject_before=r"smoke"),
    route("inhaled", r"nebuli[sz](?:ed|er|ers|ation)"),
    route("inhaled", r"aerosoli[sz]ed"),
    route("transdermal", r"trans[\s-]?dermal(?:ly)?"),
    route(
        "transdermal",
        rf"patch(?:es)?\b(?!{S}(?:test\w*|clamp\w*|electrodes?|sensors?)\b)",
        reject_before=r"blood|epidural|electrode|sensor|ecg|eeg|emg",
    ),
    route("transdermal", rf"topical(?:ly)?{_NOT_GIVEN}"),
    route("transdermal", r"appli(?:ed|cation)\s+(?:to|on)\s+the\s+skin"),
    route("transdermal", r"creams?\b"),
    route("transdermal", r"ointments?\b"),
    # Stated routes that TAXONOMY.md has no code for.
    *(
        route("other", rf"{where}{_NOT_GIVEN}")
        for where in (
            *(
                rf"intra[\s-]?{organ}(?:ly|ally)?"
                for organ in (
                    "articular",
                    "lesional",
                    "vitreal",
                    "dermal",
                    "peritoneal",
                    r"tumou?ral",
                    "myocardial",
                    "glandular",
                    "discal",
                    r"cavern(?:ous|osal)",
                    "tympanic",
                    "tracheal",
                    "bronchial",
                    "nodal",
                    "pericardial",
                    "lymphatic",
                    "vesical",
                    "osseous",
                    "pleural",
                    "ocular",
                    "cameral",
                )
            ),
            r"endo[\s-]?bronchial(?:ly)?",
            r"trans[\s-]?endocardial(?:ly)?",
            r"sub[\s-]?conjunctival(?:ly)?",
            r"sub[\s-]?retinal(?:ly)?",
            r"sub[\s-]?mucosal(?:ly)?",
            r"peri[\s-]?lesional(?:ly)?",
            r"epi[\s-]?cardial(?:ly)?",
        )
    ),
    # "injected into the fistula tract", "around the ulcer", "in the wound bed", "into the knee joint";
    # only where the clause gives something: not "fluid drained from the knee joint".
    *(
        route("other", rf"{way} (?:the\s+|each\s+)?(?:[\w'’-]+\s+){{0,2}}?{_LOCAL_SITE}\b", Trait.NEEDS_ADMIN)
        for way in ("into", "around")
    ),
    route(
        "other",
        rf"in (?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?{_LOCAL_SITE}{S}(?:sites?|beds?|edges?|margins?|walls?|tracts?)\b",
        Trait.NEEDS_ADMIN,
    ),
    route("other", r"peri[\s-]?(?:ulcer|wound|fistul)\w*", Trait.NEEDS_ADMIN),
    route(
        "other",
        rf"intra[\s-]?uterine(?={S}(?:infusions?|injections?|administration|instillation|transplantation|delivery)\b)",
    ),
    route(
        "other", r"into\s+the\s+(?:(?:parotid|submandibular|sublingual|salivary|bilateral|left|right|and)\s+)+glands?\b"
    ),
    route("other", rf"epidural(?:ly)?{_NOT_GIVEN}(?!{S}(?:blood{S}patch|an(?:a)?esthe\w*))"),
    route("other", rf"rectal(?:ly)?{_NOT_GIVEN}"),
    route("other", r"suppositor\w*"),
    route("other", rf"vaginal(?:ly)?(?={S}(?:gels?|creams?|tablets?|suppositor\w*|rings?|inserts?|administration)\b)"),
    route("other", rf"eye{S}drops?"),
    route("other", rf"local(?=(?:,?\s+(?:and|or)\s+[\w-]+)?\s+(?:{_GIVEN_AS})\b)"),
    route("other", r"locally(?=\s+(?:injected|administered|delivered|applied|implanted|transplanted)\b)"),
    *(
        route("other", rf"{given}\s+locally\b")
        for given in ("injected", "administered", "administrated", "delivered", "applied", "implanted", "transplanted")
    ),
)

ABBREVIATIONS: tuple[Term, ...] = (
    cell("msc", r"BM-?MSCs?(?![A-Za-z])", source="bone_marrow"),
    cell("msc", r"BMSCs?(?![A-Za-z])", source="bone_marrow"),
    cell("msc", r"UCB?-?MSCs?", source="umbilical_cord"),
    cell("msc", r"WJ-?MSCs?", source="umbilical_cord"),
    cell("msc", r"AD-MSCs?", source="adipose"),
    cell("msc", r"ADMSCs?", source="adipose"),
    cell("msc", r"ADSCs?(?![A-Za-z])", source="adipose"),
    cell("msc", r"ADRCs?(?![A-Za-z])", source="adipose"),
    cell("msc", r"SVF(?![A-Za-z])", source="adipose"),
    cell("msc", r"DPSCs?(?![A-Za-z])", source="dental_pulp"),
    cell("msc", r"SHED(?![A-Za-z])", source="dental_pulp"),
    cell("msc", r"MSC"),
    cell("msc_derived", r"EVs?(?![A-Za-z0-9]|-[A-Za-z])", Trait.DERIVED | Trait.NEEDS_PRODUCT),
    cell("neural", r"NSCs?(?![A-Za-z])"),
    cell("neural", r"HuCNS-SC"),
    cell("hematopoietic", r"HSCT(?![A-Za-z])", Trait.NEEDS_PRODUCT),
    cell("hematopoietic", r"HSCs?(?![A-Za-z])", Trait.NEEDS_PRODUCT),
    cell("hematopoietic", r"BM-?MNCs?(?![A-Za-z])", source="bone_marrow"),
    cell("hematopoietic", r"UCBSCs?(?![A-Za-z])", source="umbilical_cord"),
    cell("hematopoietic", r"MNCs?(?![A-Za-z])", Trait.NEEDS_PRODUCT),
    cell("immune", r"PBMCs?(?![A-Za-z])", Trait.NEEDS_PRODUCT, source="peripheral_blood"),
    source("peripheral_blood", r"PBSCs?(?![A-Za-z])"),
    source("embryonic", r"ESCs?(?![A-Za-z])"),
    route("intrathecal", rf"IT{_DOSING}"),
    route(
        "intravenous",
        r"IV(?![A-Za-z0-9])",
        reject_before=(
            r"(?:stage|grade|phase|type|class|level|part|cohort|group|arm|step|category|nyha|tanner|ctcae|version"
            r"|factor|table|figure|section|chapter|appendix|schedule|[ivx]+\s*(?:-|–|/|to|and|or))"
        ),
    ),
    route("intracerebroventricular", r"ICV(?![A-Za-z])"),
    route("intravenous", r"IVI[Gg](?![A-Za-z])"),  # intravenous immunoglobulin
    route("subcutaneous", r"SCI[Gg](?![A-Za-z])"),
)
