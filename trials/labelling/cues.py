"""Words around a mention that say whether it is about what the study gives.

TAXONOMY.md's rule is that only the study's own interventions count; these cues are the ways
real records talk about something else (eligibility, earlier studies, harvesting, care the
participants already get, measurements, biology) or say that something is given. They are
found on the lower-cased clause that holds a mention (text.py splits them), all in one pass:
`find` returns where the first match of each cue is in a clause.
"""

import re
from typing import NamedTuple

from trials.labelling.scanner import Scanner, any_of

# "no prior intrathecal therapy", "without cell-based treatment", "unable to take oral
# medication", "difficulty swallowing solid foods": the few words before a mention.
NEGATION = re.compile(
    r"\b(?:no|not|without|non|never|nor|neither|avoid\w*|instead\s+of|rather\s+than|unlike|other\s+than|except"
    r"|excluding|unable\s+to|inability\s+to|difficult\w*|trouble)\b[^,;()]{0,30}$"
)

# Who may not join: "excluded", "no prior intrathecal therapy". (Sentences that merely mention
# eligibility, "eligible patients will receive...", describe the study and still count.)
_ELIGIBILITY = (
    r"exclusion",
    r"exclud\w*",
    r"ineligib\w*",
    r"contraindicat\w*",
    r"prohibited",
    r"must\s+not",
    r"not\s+(?:be\s+)?(?:allowed|permitted|eligible)",
    r"wash-?out",
    r"prior\s+(?:[\w-]+\s+){0,2}?(?:therap\w*|treatment|use|exposure|receipt)",
    r"previous\s+(?:[\w-]+\s+){0,2}?(?:therap\w*|treatment|use|exposure|receipt)",
)

# Other research, in summaries and descriptions: animals, earlier trials, what has been shown.
_EARLIER_WORK = r"(?:[\w/-]+\s+){0,3}?(?:studies|study|trials?|work|research|reports?|data|experience|results|findings)"
_BACKGROUND = (
    rf"previous\s+{_EARLIER_WORK}",
    rf"prior\s+{_EARLIER_WORK}",
    rf"earlier\s+{_EARLIER_WORK}",
    r"based\s+on\s+(?:[\w/-]+\s+){0,4}?(?:results|findings|data|experience|phase)",  # "based on a phase I/II trial"
    r"previously\s+(?:shown|reported|demonstrated|published|described|tested|studied)",
    r"pre-?clinical",
    r"animals?",
    r"mice",
    r"mouse",
    r"murine",
    r"rats?",
    r"rodents?",
    r"transgenic",
    r"in\s+vitro",
    r"in\s+vivo",
    # "MSCs have been safely administered in patients with ARDS", "has been widely used"
    r"ha(?:s|ve|d)\s+(?:been\s+)?(?:[a-z]+ly\s+)?(?:shown|demonstrated|reported|proven|found|used|tested|studied"
    r"|performed|administered|given|injected|infused|transplanted|applied|investigated|evaluated|explored)",
    r"demonstrated\s+that",
    r"showed\s+that",
    r"revealed\s+that",
    r"reported\s+that",
    r"suggested\s+that",
    r"indicated\s+that",
    r"found\s+that",
    # "was tested in cultured motor neurons", "were identified in a screen", "were first isolated from"
    *(
        rf"{verb}\s+(?:[a-z]+ly\s+)?(?:shown|tested|studied|identified|found|observed|demonstrated|reported|discovered)"
        for verb in ("was", "were")
    ),
    *(rf"{verb}\s+first\s+(?:isolated|described|identified|reported|discovered)" for verb in ("was", "were")),
    r"studies\s+(?:have\s+)?(?:suggest|show|indicate|demonstrate|report)\w*",
    # General facts about cells: "MSCs can be isolated from bone marrow, adipose tissue and cord",
    # "found in various tissues".
    r"can\s+be\s+(?:[a-z]+ly\s+)?(?:isolated|obtained|derived|found|harvested|extracted|collected|sourced|generated)",
    *(
        rf"{many}\s+(?:[\w-]+\s+)?(?:tissues|sources|organs)"
        for many in ("various", "different", "many", "several", "multiple", "numerous")
    ),
    r"published",
    r"literature",
    r"our\s+(?:group|team|previous|results|experience)",
    r"pioneers?",
    r"nct\d{8}",
)

# Taking tissue to make cells. A tissue named after these is where cells were harvested; a route
# word in the same clause is how they were taken, unless the clause also gives something.
_HARVEST = (
    r"harvest\w*",
    r"aspirat\w*",
    r"liposuction",
    r"lipoaspirat\w*",
    r"biops\w*",
    r"leuka?pheres\w*",
    r"leukopheres\w*",
    r"apheres\w*",
    r"collect(?:ed|ion|ing)",
    r"drawn",
    r"withdrawn",
    r"manufactur\w*",
)

# The conditions of a procedure, not a drug given with it: "transplanted under mild anesthesia
# intrathecally". Matched so that the anaesthesia in it is not read as CONCOMITANT; not where
# the anaesthetic and its route follow ("under sedation with intravenous midazolam"), nor with a
# word that names a route ("under topical anaesthesia").
_SETTING = (
    r"under\s+(?:(?:general|local|mild|light|conscious|deep|moderate|minimal|regional|spinal|short|brief|full)"
    r"\s+)?(?:ana?esthe\w*|sedation)\b(?!\s+(?:with|using|by|via)\b)",
)

# Care the participants get anyway, or drugs given around a procedure.
_CONCOMITANT = (
    r"stable\s+(?:dose|doses|regimen)",
    r"background",
    r"concomitant",
    r"standard[\s-]+of[\s-]+care",
    r"standard\s+(?:care|therapy)",
    r"usual\s+care",
    r"supportive\s+care",
    r"allowed",
    r"permitted",
    r"may\s+(?:continue|remain\s+on|keep)",
    r"continue\s+(?:their|taking|on)",
    r"remain\s+on",
    r"add-?on",
    r"premedicat\w*",
    r"pre-medicat\w*",
    r"prophyla\w*",
    r"anesthe\w*",
    r"anaesthe\w*",
    r"sedat\w*",
    r"rescue",
)

# Substances given only to take a measurement (TAXONOMY.md: they are not the study's product).
_MEASUREMENT = (
    r"challenge",
    r"provocation",
    r"spirometr\w*",
    r"lung\s+function",
    r"pulmonary\s+function",
    r"pfts?",
    r"gadolinium",
    r"iodinated",
    r"contrast\s+(?:agents?|medium|media|dye|enhance\w*|material)",
    r"tracers?",
    r"radio-?tracers?",
    r"radio-?ligands?",
    r"pet",
    r"tolerance\s+tests?",
    r"ogtt",
    r"skin\s+(?:prick\s+)?tests?",
    r"capsaicin",
    r"barium",
    r"methacholine",
    *(rf"{fluid}\s+(?:samples?|sampling|draws?|collection)" for fluid in ("blood", "csf", "urine", "plasma", "serum")),
)

# Something is given to the body in this clause.
_ADMINISTRATION = (
    r"inject\w*",
    r"infus\w*",
    r"administ\w*",
    r"deliver\w*",
    r"transplant\w*",
    r"instill?\w*",
    r"give[ns]?",
    r"receiv\w*",
    r"dos(?:e|es|ed|ing)",
    r"tak(?:e|es|en|ing)",
    r"swallow\w*",
    r"ingest\w*",
    r"drink\w*",
    r"eat\w*",
    r"inhal\w*",
    r"spray\w*",
    r"appl(?:y|ied|ication)",
    r"treated\s+with",
    r"bolus",
)

# The study itself gives something: an observational study only has a route where it says so
# ("participants will be asked to swallow"), not where it describes care ("patients receiving").
_STUDY_GIVES = (
    r"will\s+(?:be\s+)?(?:asked|given|administered|injected|infused|receiv\w*|take|swallow|drink|eat|consume)",
    r"asked\s+to",
    r"is\s+(?:then\s+)?given",
    r"are\s+(?:then\s+)?given",
)

# A cell product rather than cells the body already has (with the words of ADMINISTRATION and
# HARVEST, which also say so).
_PRODUCT = (
    r"implant\w*",
    r"graft\w*",
    r"therap\w*",
    r"treat\w*",
    r"products?",
    r"investigational",
    r"transfer\w*",
    r"vaccin\w*",
    r"expanded",
    r"engineered",
    r"modified",
    r"derived",
    r"cultured",
    r"suspension",
    r"intervention",
)

# Biology and measurements of cells: "the function of regulatory T cells", "CD34+ counts".
_MECHANISM = (
    r"function\w*",
    r"activit\w*",
    r"levels?",
    r"counts?",
    r"express\w*",
    r"stimulat\w*",
    r"enhanc\w*",
    r"suppress\w*",
    r"modulat\w*",
    r"activat\w*",
    r"circulating",
    r"endogenous",
    r"resident",
    r"infiltrat\w*",
    r"mediat\w*",
    r"paracrine",
    r"polari[sz]\w*",
    r"proliferat\w*",
    r"loss",
    r"death",
    r"degenerat\w*",
    r"biomarkers?",
    r"markers?",
    r"measur\w*",
    r"assess\w*",
    r"analy[sz]\w*",
    r"phenotyp\w*",
    r"profil\w*",
    r"models?",
    r"modell?ing",
    r"increas\w*",
    r"boost\w*",
    r"numbers?",
    r"frequenc\w*",
    r"restor\w*",
    r"expansion",
    r"mobili[sz]\w*",
)

# An event before the study, not its product: "GVHD following allogeneic HSCT".
_TRANSPLANTED = (
    r"\s+(?:an?\s+|the\s+)?(?:(?:allogeneic|allogenic|autologous)\s+|allo-?|auto-?)?"
    r"(?:hsct|bmt|(?:ha?ematopoietic|bone\s+marrow|stem[\s-]+cell|organ|kidney|liver|lung|heart|cord\s+blood)"
    r"[^,;.]{0,40}?(?:transplant\w*|hsct))(?:\s*\([^)]{0,12}\))?"
)
_PRIOR_EVENT = tuple(
    rf"{before}{_TRANSPLANTED}"
    for before in (
        "following",
        "after",
        "post",
        r"history\s+of",
        r"recipients?\s+of",
        "underwent",
        "undergone",
        "prior",
        "previous",
    )
)

# The standard care of ALS, which trials let participants keep: a route beside one of these is
# its route, unless the study's own interventions are that drug (an oral edaravone trial).
_STANDARD_CARE = (
    "riluzole",
    "rilutek",
    "tiglutik",
    "exservan",
    "edaravone",
    "radicava",
    "nuedexta",
    "relyvrio",
    "tofersen",
)
STANDARD_CARE_DRUGS = any_of(*_STANDARD_CARE)

# Sampling cerebrospinal fluid: a lumbar puncture for this is not a route.
_CSF_SAMPLING = (
    r"csf\s+(?:sampl\w*|collect\w*|levels?|biomarkers?)",
    r"cerebro-?\s?spinal\s+fluid\s+(?:sampl\w*|collect\w*|levels?|biomarkers?)",
    r"sampl\w*",
)

# Cue names, in the order that decides where two could match at one place.
ELIGIBILITY = "eligibility"
PRIOR_EVENT = "prior_event"
BACKGROUND = "background"
SETTING = "setting"
CONCOMITANT = "concomitant"
STANDARD_CARE = "standard_care"
MEASUREMENT = "measurement"
CSF_SAMPLING = "csf_sampling"
HARVEST = "harvest"
STUDY_GIVES = "study_gives"
ADMINISTRATION = "administration"
PRODUCT = "product"
MECHANISM = "mechanism"


class _Cue(NamedTuple):
    pattern: str
    name: str


_CLAUSE_CUES = Scanner(
    [
        _Cue(words if name == PRIOR_EVENT else rf"{words}\b", name)  # a prior event's span takes in "(HSCT)"
        for name, group in {
            ELIGIBILITY: _ELIGIBILITY,
            PRIOR_EVENT: _PRIOR_EVENT,
            BACKGROUND: _BACKGROUND,
            SETTING: _SETTING,
            CONCOMITANT: _CONCOMITANT,
            STANDARD_CARE: _STANDARD_CARE,
            MEASUREMENT: _MEASUREMENT,
            CSF_SAMPLING: _CSF_SAMPLING,
            HARVEST: _HARVEST,
            STUDY_GIVES: _STUDY_GIVES,
            ADMINISTRATION: _ADMINISTRATION,
            PRODUCT: _PRODUCT,
            MECHANISM: _MECHANISM,
        }.items()
        for words in group
    ],
    lowercase=True,
    word_start=True,
)


def find(clause: str) -> dict[str, tuple[int, int]]:
    """Where the first match of each cue is in a lower-cased clause, (start, end) by cue name."""
    found: dict[str, tuple[int, int]] = {}
    for cue, start, end in _CLAUSE_CUES.finditer(clause):
        found.setdefault(cue.name, (start, end))
    return found


# Where eligibility criteria stop listing who may join (the immunosuppression cue reads only those).
EXCLUSION_HEADING = re.compile(r"exclusion criteria", re.IGNORECASE)

# A list of criteria copied into a description: from its heading to the next heading ("Outcomes:").
CRITERIA_SECTION = re.compile(
    r"^[ \t*#-]*(?i:(?:key\s+)?(?:inclusion|exclusion|eligibility)\s+criteria)\b"
    r".*?(?=^[ \t#]*[A-Z][\w /(),-]{0,60}:|\Z)",
    re.MULTILINE | re.DOTALL,
)
