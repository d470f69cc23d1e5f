"""Records written the way other real records phrase the same facts, so no rule rests on one record's words.

Each case is a short record in the wording of real ClinicalTrials.gov entries for ALS and cell
therapies (NurOwn, lenzumestrocel, NSI-566, AstroRx, Treg, UC-MSC, SVF, exosome, cord-blood and
dopamine-neuron trials and ordinary drug trials), with the labels TAXONOMY.md gives it.
"""

import pytest

from trials.labelling import label_study

FIELDS = ("routes", "cell_types", "cell_sources", "donors")


def labels(routes="", cells="", sources="", donors="") -> dict:
    return {
        name: tuple(sorted(filter(None, codes.split("|"))))
        for name, codes in zip(FIELDS, (routes, cells, sources, donors))
    }


def case(behaviour: str, expected: dict, **record):
    return pytest.param(record, expected, id=behaviour)


def bio(name, description=""):
    return ("BIOLOGICAL", name, description)


def drug(name, description=""):
    return ("DRUG", name, description)


CASES = [
    # --- routes of cell products ---
    case(
        "nurown-abbreviated-im-and-it",
        labels("intramuscular|intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Safety of autologous MSC-NTF cells given intramuscularly (IM) and intrathecally (IT) to patients "
        "with ALS.",
        interventions=[bio("MSC-NTF cells", "Autologous MSC-NTF cells, single combined IM and IT dose")],
    ),
    case(
        "debamestrocel-by-lumbar-puncture-after-marrow-aspiration",
        labels("intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Patients undergo bone marrow aspiration; debamestrocel or placebo is administered via lumbar "
        "puncture three times.",
        interventions=[
            bio("debamestrocel", "Repeated administrations by lumbar puncture"),
            ("OTHER", "Placebo", "By lumbar puncture"),
        ],
        keywords=["autologous"],
    ),
    case(
        "lenzumestrocel-intrathecal",
        labels("intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Neuronata-R (lenzumestrocel) consists of autologous bone marrow-derived mesenchymal stem cells "
        "given twice intrathecally.",
        interventions=[bio("Lenzumestrocel", "Autologous BM-MSC")],
    ),
    case(
        "dotted-iv-abbreviation",
        labels("intravenous", "msc", "umbilical_cord", "allogeneic"),
        summary="Human umbilical cord-derived MSCs (hUC-MSCs) at 1x10^6 cells/kg are given as an i.v. infusion once "
        "a month.",
        interventions=[bio("hUC-MSC", "Infusion")],
    ),
    case(
        "liposuction-harvest-is-not-subcutaneous",
        labels("intrathecal", "msc", "adipose", "autologous"),
        summary="Stromal vascular fraction is obtained by liposuction of subcutaneous abdominal fat under local "
        "anesthesia and injected via lumbar puncture.",
        interventions=[
            ("PROCEDURE", "SVF", "The patient's own adipose-derived SVF is injected into the subarachnoid space.")
        ],
    ),
    case(
        "marrow-aspirated-under-local-anaesthesia-then-injected-intrathecally",
        labels("intrathecal", "msc", "bone_marrow", "unspecified"),
        summary="Bone marrow (50 mL) will be aspirated from the posterior iliac crest under local anaesthesia and "
        "sedation. MSCs will be expanded and injected intrathecally.",
        interventions=[bio("MSC")],
    ),
    case(
        "harvest-then-intravenous",
        labels("intravenous", "msc", "adipose", "unspecified"),
        summary="Adipose tissue will be harvested by liposuction; after culture, ADSCs will be injected intravenously.",
        interventions=[bio("ADSC")],
    ),
    case(
        "into-the-spinal-canal",
        labels("intrathecal", "msc", "unspecified", "unspecified"),
        summary="Mesenchymal stem cells will be injected into the spinal canal via lumbar puncture.",
        interventions=[bio("MSC")],
    ),
    case(
        "lumbar-cistern",
        labels("intrathecal", "msc", "unspecified", "unspecified"),
        summary="MSCs transplanted into the lumbar cistern.",
        interventions=[bio("MSC")],
    ),
    case(
        "ommaya-into-the-lateral-ventricle",
        labels("intracerebroventricular", "msc", "bone_marrow", "allogeneic"),
        summary="Allogeneic bone marrow MSCs from healthy donors are injected through an Ommaya reservoir into the "
        "lateral ventricle.",
        interventions=[bio("BM-MSC", "Intraventricular injection")],
    ),
    case(
        "csf-wording-beats-intraspinal-in-one-sentence",
        labels("intrathecal", "msc", "unspecified", "autologous"),
        summary="Intraspinal delivery of autologous MSCs to the cerebrospinal fluid by lumbar puncture.",
        interventions=[bio("MSC")],
    ),
    case(
        "bare-intraspinal-injection",
        labels("intraspinal", "msc", "unspecified", "unspecified"),
        summary="Intraspinal injection of MSCs.",
        interventions=[bio("MSC")],
    ),
    case(
        "intrathecal-then-into-the-cord-in-a-second-stage",
        labels("intrathecal|intraspinal", "msc", "unspecified", "autologous"),
        summary="Cells are given intrathecally. In the second stage, cells are injected directly into the spinal cord.",
        interventions=[bio("Autologous MSC")],
    ),
    case(
        "sham-arm-placebo-under-the-skin-counts-but-its-local-anaesthetic-does-not",
        labels("intrathecal|subcutaneous", "msc", "unspecified", "autologous"),
        summary="Intrathecal autologous MSCs versus sham.",
        arms=[
            ("EXPERIMENTAL", "MSC", "Autologous MSCs by lumbar puncture"),
            (
                "SHAM_COMPARATOR",
                "Sham",
                "Lidocaine for local anesthesia at the lumbar site; placebo injected subcutaneously",
            ),
        ],
        interventions=[bio("MSC", "Intrathecal")],
    ),
    case(
        "intra-arterial-into-a-named-artery",
        labels("intra_arterial", "msc", "bone_marrow", "autologous"),
        summary="Autologous BM-MSC delivered intra-arterially into the middle cerebral artery.",
        interventions=[bio("BM-MSC")],
    ),
    case(
        "background-route-of-earlier-studies-does-not-count",
        labels("intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Previous studies have used intravenous MSCs with limited benefit. In this study, autologous BM-MSCs "
        "will be delivered intrathecally.",
        interventions=[bio("BM-MSC")],
    ),
    case(
        "our-previous-trial-by-nct-id-does-not-count",
        labels("intravenous", "msc", "unspecified", "autologous"),
        summary="In our previous phase 1 trial (NCT01609283), intrathecal MSCs were safe. This study tests "
        "intravenous autologous MSCs.",
        interventions=[bio("MSC", "IV infusion")],
    ),
    case(
        "regions-of-the-spinal-cord",
        labels("intraspinal", "neural", "unspecified", "allogeneic"),
        summary="Surgical implantation of NSI-566 neural stem cells into the cervical and lumbar regions of the "
        "spinal cord, with immunosuppression regimen of tacrolimus and mycophenolate.",
        interventions=[bio("NSI-566")],
    ),
    case(
        "vein-infusion",
        labels("intravenous", "msc", "umbilical_cord", "allogeneic"),
        summary="Safety and efficacy of vein infusion of allogeneic umbilical cord derived mesenchymal stem cells in "
        "aplastic anemia.",
        interventions=[bio("UC-MSC")],
    ),
    case(
        "islets-into-the-portal-vein",
        labels("intravenous", "other_cell", "unspecified", "allogeneic"),
        summary="Allogeneic islet transplantation by infusion into the portal vein.",
        interventions=[bio("Islets")],
    ),
    case(
        "injected-locally",
        labels("other", "msc", "adipose", "autologous"),
        summary="Autologous adipose-derived cells are injected locally into the fistula tract.",
        interventions=[bio("ADRC")],
    ),
    case(
        "cells-of-a-named-tissue-of-no-named-kind",
        labels("intra_arterial", "other_cell", "unspecified", "allogeneic"),
        summary="Allogeneic cardiosphere-derived cells infused into the coronary arteries.",
        interventions=[bio("CAP-1002")],
    ),
    case(
        "procedure-under-anaesthesia-still-gives-its-routes",
        labels("intramuscular|intrathecal", "msc", "bone_marrow", "autologous"),
        interventions=[
            bio(
                "MSC-NTF cells transplantation (IM)",
                "Autologous MSC-NTF cells will be transplanted under general anesthesia, intramuscularly into the "
                "biceps and triceps muscles.",
            ),
            bio(
                "MSC-NTF cells transplantation (IT)",
                "Autologous MSC-NTF cells will be transplanted under mild anaesthesia intrathecally(via a standard "
                "lumbar puncture).",
            ),
        ],
    ),
    case(
        "sedative-given-for-the-procedure-is-not-a-route",
        labels("intrathecal", "msc", "unspecified", "unspecified"),
        summary="MSCs are injected by lumbar puncture under conscious sedation with intravenous midazolam.",
        interventions=[bio("MSC", "Intrathecal injection")],
    ),
    case(
        "local-anaesthetic-before-each-lumbar-puncture-is-not-a-route",
        labels("intrathecal"),
        summary="ASO-1 is administered via lumbar puncture every 4 weeks. Lidocaine is injected subcutaneously for "
        "local anesthesia before each lumbar puncture.",
        interventions=[drug("ASO-1")],
    ),
    case(
        "injected-into-the-csf",
        labels("intrathecal", "msc", "unspecified", "allogeneic"),
        summary="Allogeneic MSCs from healthy donors are injected into the CSF.",
        interventions=[bio("MSC")],
    ),
    case(
        "it-administration-abbreviation",
        labels("intrathecal"),
        summary="Single IT administration of ASO-2 (100 mg) or placebo.",
        interventions=[drug("ASO-2")],
    ),
    case(
        "dotted-it-abbreviation",
        labels("intrathecal"),
        summary="ASO-3 60 mg i.t. on days 1, 15 and 29, then monthly.",
        interventions=[drug("ASO-3")],
    ),
    case(
        "hyphenated-intra-thecally",
        labels("intrathecal"),
        summary="ASO-4 will be delivered intra-thecally by a slow bolus.",
        interventions=[drug("ASO-4")],
    ),
    case(
        "delivered-intrathecally-and-intramuscularly",
        labels("intramuscular|intrathecal", "msc", "unspecified", "autologous"),
        summary="Autologous MSCs delivered intrathecally and intramuscularly in the same session.",
        interventions=[bio("MSC")],
    ),
    case(
        "injected-by-spinal-tap",
        labels("intrathecal"),
        summary="Drug F is injected by spinal tap once a month.",
        interventions=[drug("Drug F")],
    ),
    case(
        "spinal-tap-to-sample-csf-is-not-a-route",
        labels("oral"),
        summary="Oral drug G. A spinal tap will be done to sample CSF at weeks 0 and 12.",
        interventions=[drug("Drug G", "Capsules")],
    ),
    case(
        "transplanted-into-the-putamen",
        labels("intracerebral", "neural", "embryonic", "allogeneic"),
        summary="Dopamine neurons derived from human embryonic stem cells are transplanted into the putamen.",
        interventions=[bio("hESC-DA")],
    ),
    case(
        "stereotactic-implantation",
        labels("intracerebral", "neural", "unspecified", "unspecified"),
        summary="Stereotactic implantation of neural stem cells in patients with chronic stroke.",
        interventions=[bio("NSC")],
    ),
    case(
        "stereotactically-implanted-in-the-motor-cortex",
        labels("intracerebral", "neural", "fetal_tissue", "allogeneic"),
        summary="Fetal neural precursor cells will be stereotactically implanted in the motor cortex.",
        interventions=[bio("hNPC")],
    ),
    case(
        "unilateral-injection-into-the-striatum",
        labels("intracerebral", "other_cell", "unspecified", "autologous"),
        summary="Unilateral injection into the striatum of autologous stem cells.",
        interventions=[bio("Stem cells")],
    ),
    case(
        "surgically-injected-into-the-brain",
        labels("intracerebral", "neural", "embryonic", "allogeneic"),
        summary="This trial tests whether surgically injecting nerve cells that make dopamine into the brain is safe.",
        interventions=[bio("ES-DA", "Dopamine neurons made from human embryonic stem cells")],
    ),
    case(
        "into-a-part-of-the-brain-under-general-anaesthesia",
        labels("intracerebral", "neural", "unspecified", "unspecified"),
        description="Subjects will undergo surgical transplantation of the neural progenitor cells under general "
        "anesthesia into a part of the brain called the putamen.",
        interventions=[bio("NPC")],
    ),
    case(
        "implanted-into-the-brain",
        labels("intracerebral", "neural", "unspecified", "unspecified"),
        summary="Dopaminergic progenitor cells will be surgically implanted into the brain of each participant.",
        interventions=[bio("DA progenitors")],
    ),
    case(
        "into-the-ventricles-of-the-brain",
        labels("intracerebroventricular"),
        summary="Drug I is injected into the ventricles of the brain through a reservoir.",
        interventions=[drug("Drug I")],
    ),
    case(
        "delivered-via-the-internal-carotid-artery",
        labels("intra_arterial", "hematopoietic", "bone_marrow", "autologous"),
        summary="Autologous bone marrow mononuclear cells are delivered via the internal carotid artery after bone "
        "marrow harvest under general anesthesia.",
        interventions=[bio("BM-MNC")],
    ),
    case(
        "a-catheter-in-through-the-femoral-artery-is-no-route",
        labels("other", "msc", "unspecified", "allogeneic"),
        summary="Allogeneic mesenchymal precursor cells are injected transendocardially with a catheter advanced via "
        "the femoral artery.",
        interventions=[bio("MPC")],
    ),
    case(
        "cells-that-home-into-the-brain-after-an-infusion",
        labels("intravenous", "msc", "unspecified", "unspecified"),
        summary="MSCs infused intravenously home into the injured brain.",
        interventions=[bio("MSC")],
    ),
    # --- cell types, sources and donors ---
    case(
        "exosomes-of-adipose-msc-by-nasal-spray",
        labels("intranasal", "msc_derived", "adipose", "allogeneic"),
        summary="Exosomes derived from allogeneic adipose mesenchymal stem cells will be administered by nasal spray.",
        interventions=[bio("MSC-exosomes", "Nasal spray, twice a week")],
    ),
    case(
        "conditioned-medium-of-cord-msc",
        labels("intravenous", "msc_derived", "umbilical_cord", "allogeneic"),
        summary="Conditioned medium from umbilical cord MSCs given intravenously.",
        interventions=[bio("UC-MSC secretome")],
    ),
    case(
        "msc-derived-neural-progenitors-are-msc",
        labels("intrathecal", "msc", "unspecified", "autologous"),
        summary="Autologous mesenchymal stem cell-derived neural progenitor cells (MSC-NPs) administered "
        "intrathecally.",
        interventions=[bio("MSC-NP")],
    ),
    case(
        "neural-stem-cell-line-with-immunosuppression",
        labels("intraspinal", "neural", "unspecified", "allogeneic"),
        summary="NSI-566 is a human spinal cord-derived neural stem cell line. Cells are injected into the cervical "
        "and lumbar spinal cord. Subjects receive immunosuppression with tacrolimus.",
        interventions=[bio("NSI-566", "Intraspinal injections")],
    ),
    case(
        "fetal-spinal-cord-neural-stem-cells",
        labels("intraspinal", "neural", "fetal_tissue", "allogeneic"),
        summary="Neural stem cells derived from fetal spinal cord tissue injected into the lumbar spinal cord.",
        interventions=[bio("NSC")],
    ),
    case(
        "ipsc-dopaminergic-progenitors-into-the-putamen",
        labels("intracerebral", "neural", "ipsc", "allogeneic"),
        summary="Dopaminergic progenitor cells derived from induced pluripotent stem cells are implanted into the "
        "bilateral putamen with a stereotactic frame.",
        interventions=[bio("iPSC-DA progenitors", "Stereotactic intraputaminal transplantation")],
    ),
    case(
        "embryonic-stem-cell-astrocytes",
        labels("intrathecal", "neural", "embryonic", "allogeneic"),
        summary="AstroRx is a cell therapy of healthy human astrocytes derived from human embryonic stem cells, "
        "administered intrathecally.",
        interventions=[bio("AstroRx", "Single intrathecal injection")],
    ),
    case(
        "tregs-from-leukapheresis-with-subcutaneous-il2",
        labels("intravenous|subcutaneous", "immune", "peripheral_blood", "autologous"),
        summary="Autologous expanded regulatory T cells (Tregs) will be infused intravenously together with "
        "subcutaneous IL-2. Tregs are isolated from a leukapheresis product.",
        interventions=[bio("Tregs", "IV infusion"), drug("IL-2", "Subcutaneous injection three times a week")],
    ),
    case(
        "cord-blood-derived-tregs-are-tregs",
        labels("intravenous", "immune", "umbilical_cord", "allogeneic"),
        summary="Allogeneic umbilical cord blood-derived regulatory T cells (CK0803) infused intravenously.",
        interventions=[bio("CK0803")],
    ),
    case(
        "unprocessed-cord-blood-is-hematopoietic",
        labels("intravenous", "hematopoietic", "umbilical_cord", "allogeneic"),
        summary="Allogeneic umbilical cord blood infusion.",
        interventions=[bio("Umbilical cord blood", "Intravenous infusion")],
    ),
    case(
        "bone-marrow-mononuclear-cells-two-routes",
        labels("intrathecal|intravenous", "hematopoietic", "bone_marrow", "autologous"),
        summary="Autologous bone marrow mononuclear cells (BM-MNC) will be injected intrathecally and intravenously "
        "after bone marrow aspiration from the iliac crest.",
        interventions=[bio("BM-MNC", "Intrathecal and intravenous")],
    ),
    case(
        "autologous-hsct-without-a-route",
        labels("", "hematopoietic", "unspecified", "autologous"),
        summary="Autologous hematopoietic stem cell transplantation after cyclophosphamide mobilisation.",
        interventions=[("PROCEDURE", "aHSCT", "")],
    ),
    case(
        "stem-cells-of-no-named-kind",
        labels("intrathecal", "other_cell", "unspecified", "autologous"),
        summary="Autologous stem cell transplantation via lumbar puncture in ALS.",
        interventions=[bio("Stem cells")],
    ),
    case(
        "wharton-jelly-abbreviation-only",
        labels("intrathecal", "msc", "umbilical_cord", "allogeneic"),
        summary="Intrathecal WJ-MSC three times.",
        interventions=[bio("WJ-MSC", "Lumbar injection")],
    ),
    case(
        "deciduous-teeth-stem-cells",
        labels("intravenous", "msc", "dental_pulp", "unspecified"),
        summary="Stem cells from human exfoliated deciduous teeth (SHED) given intravenously.",
        interventions=[bio("SHED", "IV")],
    ),
    case(
        "dental-pulp-stem-cells-from-a-donor",
        labels("intravenous", "msc", "dental_pulp", "allogeneic"),
        summary="Allogeneic dental pulp stem cells (JTR-161) intravenous.",
        interventions=[bio("JTR-161")],
    ),
    case(
        "adipose-msc-expanded-ex-vivo",
        labels("intrathecal", "msc", "adipose", "autologous"),
        summary="Autologous adipose-derived mesenchymal stem cells, expanded ex vivo, delivered intrathecally by "
        "lumbar puncture.",
        interventions=[bio("adMSC")],
    ),
    case(
        "two-arms-two-sources-two-donors",
        labels("intravenous", "msc", "bone_marrow|umbilical_cord", "autologous|allogeneic"),
        summary="Two arms.",
        arms=[("EXPERIMENTAL", "A", "Autologous BM-MSC given IV"), ("EXPERIMENTAL", "B", "Allogeneic UC-MSC given IV")],
        interventions=[bio("MSC")],
    ),
    case(
        "olfactory-ensheathing-cells",
        labels("intraspinal", "other_cell", "other", "autologous"),
        summary="Autologous olfactory ensheathing cells transplanted into the spinal cord.",
        interventions=[bio("OEC")],
    ),
    case(
        "amniotic-epithelial-cells",
        labels("intravenous", "other_cell", "placenta", "allogeneic"),
        summary="Human amniotic epithelial cells administered intravenously.",
        interventions=[bio("hAEC")],
    ),
    case(
        "myoblasts-into-a-named-muscle",
        labels("intramuscular", "other_cell", "unspecified", "autologous"),
        summary="Autologous myoblasts injected into the tibialis anterior muscle.",
        interventions=[bio("Myoblasts")],
    ),
    case(
        "nk-cells-from-a-donor",
        labels("intravenous", "immune", "unspecified", "allogeneic"),
        summary="Allogeneic NK cells infused IV after lymphodepletion.",
        interventions=[bio("NK cells")],
    ),
    case(
        "adult-cells-for-children-after-transplant",
        labels("intravenous", "msc", "bone_marrow", "allogeneic"),
        summary="Ex-vivo expanded adult bone marrow mesenchymal stromal cells for children with steroid-refractory "
        "GVHD after allogeneic HSCT.",
        interventions=[bio("MSC", "2 million cells/kg IV twice weekly")],
        eligibility={"maximumAge": "17 Years"},
    ),
    case(
        "msc-exosome-study-with-msc-keywords-and-background",
        labels("inhaled", "msc_derived", "adipose", "allogeneic"),
        title="Aerosol Inhalation of Exosomes Derived From Allogeneic Adipose Mesenchymal Stem Cells in ARDS",
        summary="Human bone marrow MSCs have been safely administered in patients with ARDS. MSC exosomes may have "
        "the same effect as the MSCs themselves.",
        keywords=["mesenchymal stem cells", "exosome", "nebulization"],
        interventions=[bio("MSC-derived exosomes")],
    ),
    case(
        "msc-exo-abbreviation-names-the-vesicles",
        labels("inhaled", "msc_derived", "unspecified", "unspecified"),
        summary="Exosomes secreted by mesenchymal stem cells are given by nebulizer twice daily for 5 days.",
        interventions=[bio("MSC-Exo")],
    ),
    case(
        "exosomes-of-t-cells-are-an-immune-cell-product",
        labels("inhaled", "immune", "unspecified", "allogeneic"),
        title="Inhalation of Exosomes Derived From Allogeneic Virus-specific T Cells",
        keywords=["Exosome", "Cell therapy"],
        interventions=[bio("T cell-derived exosomes", "Metered dose inhaler")],
    ),
    case(
        "exosomes-of-neural-stem-cells-are-neural",
        labels("intravenous", "neural", "unspecified", "unspecified"),
        summary="Exosomes derived from neural stem cells are given intravenously.",
        interventions=[bio("NSC-Exo")],
    ),
    case(
        "tissues-msc-can-come-from-are-biology-not-the-source",
        labels("intravenous", "msc", "umbilical_cord", "allogeneic"),
        summary="MSCs can be isolated from bone marrow, adipose tissue and umbilical cord, and are found in various "
        "tissues. In this trial, UC-MSCs are infused intravenously.",
        interventions=[bio("UC-MSC")],
    ),
    case(
        "where-mscs-were-first-found-is-history",
        labels("intravenous", "msc", "adipose", "allogeneic"),
        summary="MSCs were first isolated from bone marrow. Allogeneic adipose-derived MSCs will be infused "
        "intravenously.",
        interventions=[bio("AD-MSC")],
    ),
    case(
        "svf-from-the-patients-own-lipoaspirate",
        labels("other", "msc", "adipose", "autologous"),
        summary="Stromal vascular fraction prepared from the patient's own lipoaspirate is injected into the knee "
        "joint (intra-articular).",
        interventions=[bio("SVF")],
    ),
    case(
        "earlier-trial-that-says-what-the-named-product-is",
        labels("", "msc", "adipose", "autologous"),
        description="In a previous phase 2 trial (NCT01234567), three intrathecal injections of autologous "
        "adipose-derived mesenchymal stem cells (AdiStem) were safe. Group 1 receives AdiStem injections; group 2 "
        "receives placebo injections.",
        interventions=[bio("AdiStem"), ("OTHER", "Placebo", "")],
    ),
    case(
        "earlier-trials-of-other-cells-under-a-generic-name",
        labels("intravenous", "msc", "unspecified", "unspecified"),
        summary="Bone marrow mesenchymal stem cells have been safely administered in earlier trials. Mesenchymal stem "
        "cells (MSCs) will be infused IV.",
        interventions=[bio("Mesenchymal stem cells")],
    ),
    case(
        "patient-specific-ipscs-are-the-patients-own",
        labels("intracerebral", "neural", "ipsc", "autologous"),
        summary="Patient-specific iPSC-derived dopaminergic progenitors are implanted into the putamen.",
        interventions=[bio("iDA")],
    ),
    case(
        "marrow-aspirated-from-the-iliac-crest",
        labels("intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Autologous mesenchymal stromal cells grown from an iliac crest aspirate, given intrathecally.",
        interventions=[bio("MSC")],
    ),
    case(
        "the-transplant-behind-gvhd-abbreviated-is-not-the-product",
        labels("intravenous", "msc", "unspecified", "unspecified"),
        summary="MSCs for steroid-refractory GVHD after allo-HSCT, infused IV.",
        interventions=[bio("MSC")],
    ),
    case(
        "own-banked-cord-blood-said-once",
        labels("intravenous", "hematopoietic", "umbilical_cord", "autologous"),
        summary="Children whose cord blood was banked at birth receive an umbilical cord blood infusion into a vein.",
        arms=[("EXPERIMENTAL", "Cord blood", "Children will receive an umbilical cord blood infusion.")],
        interventions=[bio("Umbilical cord blood", "Autologous umbilical cord blood banked at birth.")],
    ),
    case(
        "cord-blood-units-from-unrelated-donors",
        labels("intravenous", "hematopoietic", "umbilical_cord", "allogeneic"),
        summary="Cord blood units from unrelated donors infused intravenously.",
        interventions=[bio("Cord blood")],
    ),
    case(
        "autologous-or-unrelated-cord-blood",
        labels("intravenous", "hematopoietic", "umbilical_cord", "autologous|allogeneic"),
        summary="A single intravenous infusion of autologous or unrelated umbilical cord blood.",
        interventions=[bio("Cord blood infusion")],
    ),
    case(
        "sibling-cord-blood",
        labels("intravenous", "hematopoietic", "umbilical_cord", "allogeneic"),
        summary="Sibling cord blood given intravenously to children with cerebral palsy.",
        interventions=[bio("Cord blood")],
    ),
    case(
        "autologous-or-allogeneic-arms",
        labels("intrathecal", "msc", "bone_marrow", "autologous|allogeneic"),
        arms=[
            ("EXPERIMENTAL", "Autologous", "Autologous bone marrow MSCs intrathecally"),
            ("EXPERIMENTAL", "Allogeneic", "Bone marrow MSCs of a healthy donor intrathecally"),
        ],
        interventions=[bio("BM-MSC")],
    ),
    case(
        "own-marrow-cells-versus-cord-msc-in-one-sentence",
        labels("intravenous", "msc|hematopoietic", "bone_marrow|umbilical_cord", "autologous|allogeneic"),
        title="Autologous Bone Marrow Mononuclear Cells Versus Umbilical Cord MSCs in Cerebral Palsy",
        summary="Children receive autologous bone marrow cells or umbilical cord MSCs intravenously.",
        interventions=[bio("Cells")],
    ),
    case(
        "cord-blood-said-to-be-autologous-after-it",
        labels("intravenous", "hematopoietic", "umbilical_cord", "autologous"),
        summary="Umbilical cord blood (autologous) is infused intravenously.",
        interventions=[bio("UCB")],
    ),
    case(
        "cord-msc-beside-own-marrow-cells",
        labels("intravenous", "msc|hematopoietic", "bone_marrow|umbilical_cord", "autologous|allogeneic"),
        arms=[
            ("EXPERIMENTAL", "A", "Autologous bone marrow mononuclear cells infused IV"),
            ("EXPERIMENTAL", "B", "Umbilical cord MSCs infused IV"),
        ],
        interventions=[bio("Cells")],
    ),
    # --- drugs, devices and what is not the study's product ---
    case(
        "riluzole-tablets-and-prior-intrathecal-therapy-are-not-routes",
        labels("intravenous"),
        summary="Drug X or placebo is infused intravenously every 4 weeks. Patients on riluzole 50 mg tablets twice "
        "daily may take part.",
        description="Participants taking oral riluzole should continue it. Patients who received prior intrathecal "
        "therapy will not be enrolled.",
        interventions=[drug("Drug X", "60-minute IV infusion"), drug("Placebo", "Matching placebo")],
    ),
    case(
        "criteria-copied-into-the-description-are-not-routes",
        labels("oral"),
        summary="Oral Y twice daily.",
        description="Participants with previous intrathecal treatment with tofersen are excluded. Inclusion "
        "Criteria:\n* Able to swallow tablets\n* Stable dose of edaravone IV allowed\n\nStudy Procedures: Y capsules "
        "are taken with food.",
        interventions=[drug("Y", "Capsule")],
    ),
    case(
        "stem-cells-mentioned-in-a-drug-trial-are-not-its-product",
        labels("oral"),
        summary="Unlike stem cell therapies, Z is an oral small molecule. Stem cell transplantation has been tested "
        "in ALS with mixed results.",
        interventions=[drug("Z", "Tablets once daily")],
    ),
    case(
        "stem-cell-research-mentioned-in-a-drug-trial",
        labels("subcutaneous"),
        summary="There is no cure for ALS. Stem cell therapy is being investigated as a treatment. Drug G is given "
        "by subcutaneous injection once a week.",
        interventions=[drug("Drug G")],
    ),
    case(
        "dysphagia-and-food-intake-are-not-oral-routes",
        labels("intravenous"),
        summary="Patients with difficulty swallowing solid foods and reduced food intake receive intravenous Drug H.",
        interventions=[drug("Drug H")],
    ),
    case(
        "exclusion-of-earlier-stem-cell-therapy-in-the-summary",
        labels("oral"),
        summary="Patients previously treated with stem cell therapy are excluded. Oral drug V.",
        interventions=[drug("V")],
    ),
    case(
        "g-csf-mobilising-stem-cells-gives-no-cells",
        labels("subcutaneous"),
        summary="Filgrastim (G-CSF) is given subcutaneously to mobilize hematopoietic stem cells into the blood.",
        interventions=[drug("G-CSF", "5 mcg/kg subcutaneously for 5 days")],
    ),
    case(
        "il2-raising-treg-numbers-gives-no-cells",
        labels("subcutaneous"),
        summary="Low-dose interleukin-2 given by subcutaneous injection to increase regulatory T cell numbers.",
        interventions=[drug("IL-2", "1 MIU SC daily for 5 days")],
    ),
    case(
        "negated-route",
        labels("oral"),
        summary="Oral drug Q. Patients will not receive intravenous sedation.",
        interventions=[drug("Q", "tablet")],
    ),
    case(
        "contrast-for-mri",
        labels("oral"),
        summary="Oral drug R daily. Gadolinium contrast is given intravenously for MRI at baseline.",
        interventions=[drug("R", "capsule")],
    ),
    case(
        "intrathecal-igg-synthesis-is-a-measurement",
        labels("oral"),
        summary="Oral drug S; intrathecal IgG synthesis will be measured.",
        interventions=[drug("S")],
    ),
    case(
        "background-intrathecal-baclofen",
        labels("oral"),
        summary="Drug T tablets. Participants may continue intrathecal baclofen.",
        interventions=[drug("T")],
    ),
    case(
        "switch-from-iv-to-oral",
        labels("intravenous|oral"),
        summary="Patients start on IV U and are switched to oral U.",
        interventions=[drug("U")],
    ),
    case(
        "lab-grown-motor-neurons-in-a-drug-trials-rationale-are-no-product",
        labels("oral"),
        summary="Drug X protected iPSC-derived motor neurons from ALS patients. Drug X capsules are taken daily.",
        interventions=[drug("Drug X")],
    ),
    case(
        "stem-cells-that-lab-neurons-are-made-from-are-no-product",
        labels("oral"),
        summary="Ezogabine reduced the hyperexcitability of motor neurons derived from ALS patients' stem cells. "
        "Participants take ezogabine capsules twice daily.",
        interventions=[drug("Ezogabine")],
    ),
    case(
        "cells-a-drug-was-tested-in-are-no-product",
        labels("oral"),
        summary="Drug X was tested in cultured motor neurons and astrocytes from ALS patients. Drug X tablets daily.",
        interventions=[drug("Drug X")],
    ),
    case(
        "a-biorepository-that-makes-ipscs-from-skin-gives-no-cells",
        labels(),
        summary="Skin fibroblasts from a skin biopsy will be reprogrammed into iPSCs and differentiated into motor "
        "neurons. Blood and CSF will be collected.",
        study_type="OBSERVATIONAL",
        phases=(),
    ),
    case(
        "hard-wrapped-riluzole-tablet-is-background-care",
        labels("inhaled|intravenous"),
        summary="142 patients will be assigned to J or placebo (administered by intravenous infusion once/week and "
        "inhaled via\nnebulization every morning). All participants will also take riluzole (50-mg\ntablet "
        "twice/day).",
        interventions=[("DRUG", "J", "")],
    ),
    case(
        "the-study-drug-named-beside-riluzole-keeps-its-route",
        labels("intravenous"),
        summary="In addition to riluzole, patients receive Drug K intravenously every month.",
        interventions=[drug("Drug K")],
    ),
    case(
        "riluzole-tablets-beside-the-study-injection",
        labels("subcutaneous"),
        summary="Patients taking riluzole tablets will be randomized to Drug P or placebo by subcutaneous injection.",
        interventions=[drug("Drug P")],
    ),
    case(
        "background-medications-in-the-description",
        labels("subcutaneous"),
        description="Drug L is given by subcutaneous injection. Participants continue their background medications, "
        "including riluzole tablets and edaravone infusions.",
        interventions=[drug("Drug L")],
    ),
    case(
        "hard-wrapped-intervention-description",
        labels("intravenous"),
        interventions=[drug("Drug M", "Drug M 100 mg is given\nintravenously over 1 hour")],
    ),
    case(
        "a-phrase-split-by-a-hard-wrapped-line",
        labels("oral"),
        interventions=[drug("Drug T", "Drug T 50 mg taken by\nmouth once daily")],
    ),
    case(
        "a-drug-that-crosses-into-the-brain-is-not-given-there",
        labels("oral"),
        summary="Drug R, given orally, readily crosses into the brain. Drug R tablets are taken daily.",
        interventions=[drug("Drug R")],
    ),
    case(
        "a-nasal-spray-delivered-into-the-brain-is-intranasal",
        labels("intranasal"),
        summary="Drug S is a nasal spray designed so that the peptide is delivered into the brain.",
        interventions=[drug("Drug S")],
    ),
    case(
        "deep-brain-stimulation-electrodes-give-no-route",
        labels(),
        summary="Stereotactic implantation of deep brain stimulation electrodes into the subthalamic nucleus.",
        interventions=[("DEVICE", "DBS", "")],
    ),
    case(
        "ivig-abbreviation",
        labels("intravenous"),
        summary="IVIG 2 g/kg over 2 days, then 1 g/kg every 3 weeks.",
        interventions=[drug("IVIG")],
    ),
    case(
        "riluzole-as-the-studys-own-product",
        labels("oral"),
        summary="Riluzole oral film compared with riluzole tablets.",
        interventions=[drug("Riluzole oral film", "50 mg twice daily")],
    ),
    case(
        "tofersen-intrathecal-bolus",
        labels("intrathecal"),
        summary="Tofersen administered intrathecally via lumbar puncture as a bolus injection.",
        interventions=[drug("Tofersen")],
    ),
    case(
        "botulinum-toxin-into-salivary-glands",
        labels("other"),
        summary="Botulinum toxin B injected into the parotid and submandibular glands under ultrasound guidance.",
        interventions=[drug("RimabotulinumtoxinB")],
    ),
    case(
        "supplement-via-peg",
        labels("oral"),
        summary="A high-calorie nutritional supplement taken orally or via PEG.",
        interventions=[("DIETARY_SUPPLEMENT", "High-calorie supplement", "")],
    ),
    case("nebulised", labels("inhaled"), summary="Nebulised W twice daily.", interventions=[drug("W")]),
    case(
        "transdermal-patch",
        labels("transdermal"),
        summary="Rotigotine transdermal patch vs placebo patch.",
        interventions=[drug("Rotigotine", "patch applied daily")],
    ),
    case(
        "diet-counselling-in-an-exercise-programme",
        labels(),
        summary="A home exercise program and dietary counselling.",
        interventions=[("BEHAVIORAL", "Exercise", "Walking and healthy foods")],
    ),
    case(
        "pacing-electrodes-implanted-in-muscle",
        labels(),
        summary="Diaphragm pacing electrodes are implanted intramuscularly.",
        interventions=[("DEVICE", "DPS", "")],
    ),
    case(
        "lumbar-puncture-to-sample-csf",
        labels(),
        summary="Participants will undergo lumbar puncture for CSF collection and blood draws.",
        study_type="OBSERVATIONAL",
        phases=(),
    ),
    case(
        "observational-study-that-asks-participants-to-swallow",
        labels("oral"),
        summary="Healthy participants will be asked to swallow thin liquids and purees during videofluoroscopy.",
        study_type="OBSERVATIONAL",
        phases=(),
    ),
    case(
        "cancer-words-that-look-like-routes",
        labels(),
        summary="Resistance exercise for people with intraocular melanoma and intraperitoneal metastases.",
        interventions=[("BEHAVIORAL", "Exercise", "")],
    ),
    case(
        "registry-of-treated-patients",
        labels(),
        summary="A registry of patients receiving intrathecal nusinersen. Patients on intravenous edaravone are also "
        "followed.",
        study_type="OBSERVATIONAL",
        phases=(),
    ),
    # --- local delivery, arteries named by their organ, harvests from the participants ---
    case(
        "injected-in-the-fistula-tract",
        labels("other", "msc", "adipose", "autologous"),
        summary="Patients are given an injection of autologous adipose-derived stem cells in the fistula tract.",
        interventions=[bio("ASC", "Autologous cultured adipose-derived stem cells")],
    ),
    case(
        "peri-ulcer-injection-around-the-wound",
        labels("other", "msc", "umbilical_cord", "allogeneic"),
        summary="Umbilical cord MSCs are injected around the ulcer at several points (peri-ulcer injection).",
        interventions=[bio("UC-MSC")],
    ),
    case(
        "ulcer-only-in-who-may-join",
        labels("intravenous", "msc", "umbilical_cord", "allogeneic"),
        summary="Umbilical cord MSCs are infused intravenously in patients with diabetic foot ulcers.",
        interventions=[bio("UC-MSC")],
    ),
    case(
        "fluid-drawn-from-the-knee-joint",
        labels(),
        summary="Synovial fluid will be drawn from the knee joint to measure inflammation before exercise therapy.",
        interventions=[("BEHAVIORAL", "Exercise", "")],
    ),
    case(
        "infused-via-liver-artery",
        labels("intra_arterial", "msc", "bone_marrow", "autologous"),
        summary="Every patient is given autologous bone marrow MSCs infused via liver artery.",
        interventions=[bio("BM-MSC")],
    ),
    case(
        "feeding-tube-placement-is-care",
        labels(),
        summary="Symptomatic treatments such as the placement of a feeding tube can compensate for the inability "
        "to swallow.",
        interventions=[drug("Drug Q")],
    ),
    case(
        "marrow-aspirated-from-each-patient",
        labels("intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Patients underwent bone marrow aspiration; mesenchymal stem cells were then injected "
        "intrathecally.",
        interventions=[bio("MSC")],
    ),
    case(
        "cells-from-the-marrow-of-all-participants",
        labels("intrathecal", "msc", "bone_marrow", "autologous"),
        summary="Stem cells from the bone marrow of all participants will be isolated and induced into MSC-NTF "
        "cells, given by intrathecal injection.",
        interventions=[bio("MSC-NTF")],
    ),
    # --- several cell products, abbreviations ---
    case(
        "marrow-cells-arm-beside-an-msc-arm",
        labels("intramuscular|other", "hematopoietic|msc", "bone_marrow", "unspecified"),
        arms=[
            ("EXPERIMENTAL", "BM cells", "Bone marrow stem cells administered intramuscularly"),
            ("EXPERIMENTAL", "MSC", "Expanded bone marrow mesenchymal stem cells given intramyocardially"),
        ],
        interventions=[bio("Bone marrow stem cells"), bio("Bone marrow mesenchymal stem cells")],
    ),
    case(
        "one-msc-product-named-loosely-in-its-arm",
        labels("intravenous", "msc", "bone_marrow", "unspecified"),
        arms=[("EXPERIMENTAL", "Bone marrow stem cells", "Bone marrow-derived MSCs given intravenously")],
        interventions=[bio("Bone marrow stem cells", "Bone marrow-derived mesenchymal stem cells")],
    ),
    case(
        "abbreviation-defined-by-its-words",
        labels("intraspinal", "hematopoietic", "umbilical_cord", "allogeneic"),
        summary="Umbilical cord blood mononuclear stem cells (UCBMSCs) transplanted into the spinal cord. "
        "UCBMSCs are given once.",
        interventions=[bio("UCBMSC")],
    ),
    case(
        "msc-abbreviation-defined-by-msc-words",
        labels("intravenous", "msc", "umbilical_cord", "allogeneic"),
        summary="Human umbilical cord mesenchymal stem cells (hUC-MSCs) are infused intravenously.",
        interventions=[bio("hUC-MSC")],
    ),
    case(
        "food-and-drug-administration-is-not-food",
        labels("intravenous"),
        summary="Drug F was approved by the Food and Drug Administration; here it is given intravenously.",
        interventions=[drug("F")],
    ),
]


@pytest.mark.parametrize("record, expected", CASES)
def test_edited_record_gets_the_taxonomys_labels(make_study, record, expected):
    result = label_study(make_study(**record))

    assert {name: getattr(result, name) for name in FIELDS} == expected
