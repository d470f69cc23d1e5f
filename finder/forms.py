"""The search's URL parameters, checked: every filter lives in the URL so a search can be
bookmarked, shared and followed as a feed.

A value that cannot be used is reported in plain words and left out; the rest of the
search still runs.
"""

from django import forms

from finder import places
from finder.facets import CAN_JOIN_NOW

MAX_WORDS_LENGTH = 200
MAX_RADIUS = 12_500  # about half way round the Earth, in miles or km
RADIUS_CHOICES = (10, 25, 50, 100, 250, 500, 1000)
DEFAULT_RADIUS = 100
SORTS = (
    ("relevance", "Best match"),
    ("nearest", "Nearest first"),
    ("newest", "Newest first"),
    ("updated", "Recently updated"),
)


class CodesField(forms.MultipleChoiceField):
    """Options chosen by ticking boxes; codes match whatever their case, blanks are ignored."""

    def to_python(self, value):
        codes = (_canonical(self.choices, code) for code in super().to_python(value))
        return list(dict.fromkeys(code for code in codes if code))

    def validate(self, value):
        for code in value:
            if not self.valid_value(code):
                raise _not_a_choice(code, self.label)


class OptionField(forms.ChoiceField):
    """One option, or none; its code matches whatever its case."""

    def to_python(self, value):
        return _canonical(self.choices, super().to_python(value))

    def validate(self, value):
        if value and not self.valid_value(value):
            raise _not_a_choice(value, self.label)


def place_field() -> forms.CharField:
    """A place a person types, as the search's `place` and the study page's `near` take it."""
    return forms.CharField(
        label="Town, ZIP code, state or country",
        required=False,
        max_length=places.MAX_LENGTH,
        error_messages={
            "max_length": f"A place can be at most {places.MAX_LENGTH} characters long.",
            # PostgreSQL text cannot hold NUL: such a place is never looked up (places.resolve).
            "null_characters_not_allowed": "That place name contains a character we cannot read.",
        },
    )


class NearForm(forms.Form):
    """The study page's `?near=`: the place its sites are sorted from."""

    near = place_field()


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search words",
        required=False,
        max_length=MAX_WORDS_LENGTH,
        error_messages={"max_length": f"Search words can be at most {MAX_WORDS_LENGTH} characters long."},
    )
    place = place_field()
    radius = forms.IntegerField(
        label="Distance",
        required=False,
        min_value=1,
        max_value=MAX_RADIUS,
        error_messages={
            "invalid": "The distance must be a whole number, like 50.",
            "min_value": "The distance must be at least 1.",
            "max_value": f"The distance can be at most {MAX_RADIUS:,}.",
        },
    )
    unit = forms.ChoiceField(
        label="Unit",
        required=False,
        choices=(("mi", "miles"), ("km", "km")),
        error_messages={"invalid_choice": "The distance unit must be miles (mi) or kilometres (km)."},
    )
    age = forms.IntegerField(
        label="My age",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Age must be a whole number of years, like 54.",
            "min_value": "Age cannot be below 0.",
            "max_value": "Age must be 120 or less.",
        },
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORTS,
        error_messages={"invalid_choice": "That sort order does not exist, so the results show the best match first."},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": "The page number must be a whole number, so the first page is shown.",
            "min_value": "The page number must be 1 or more, so the first page is shown.",
        },
    )

    def __init__(self, data, all_facets):
        super().__init__(data)
        self.facets = all_facets
        for facet in all_facets:
            if facet.multiple:
                self.fields[facet.name] = CodesField(label=facet.legend, required=False, choices=facet.options)
            else:
                self.fields[facet.name] = OptionField(
                    label=facet.legend, required=False, choices=(("", "Any"),) + facet.options
                )

    def clean(self):
        for facet in self.facets:
            if facet.multiple and facet.name in self.errors:  # keep the codes that were valid
                field = self.fields[facet.name]
                codes = field.to_python(self.data.getlist(facet.name))
                self.cleaned_data[facet.name] = [code for code in codes if field.valid_value(code)]
        # No status parameter means the default, studies one can join now. The form sends an
        # empty status beside the boxes, so unticking them all means any status.
        if "status" not in self.data or ("status" in self.errors and not self.cleaned_data["status"]):
            self.cleaned_data["status"] = [CAN_JOIN_NOW]
        return self.cleaned_data

    def chosen(self) -> dict[str, tuple[str, ...]]:
        """The valid options chosen, by facet name."""
        chosen = {}
        for facet in self.facets:
            value = self.cleaned_data.get(facet.name)
            codes = tuple(value) if facet.multiple else ((value,) if value else ())
            if codes:
                chosen[facet.name] = codes
        return chosen

    def problems(self) -> list[str]:
        """What was wrong with the parameters, in plain words."""
        return [message for errors in self.errors.values() for message in errors]


def _canonical(choices, code: str) -> str:
    code = str(code).strip()
    return next((str(choice) for choice, _ in choices if str(choice).casefold() == code.casefold()), code)


def _not_a_choice(code: str, label: str) -> forms.ValidationError:
    shown = code if len(code) <= 40 else code[:39] + "…"
    return forms.ValidationError(f"“{shown}” is not one of the choices under “{label}”, so it was left out.")
