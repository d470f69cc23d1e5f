"""`{% study_warnings study as warnings %}`: lets finder/_warnings.html take just a study.

The search results and the study page both include that partial; computing the warnings here
means neither view has to remember to.
"""

from django import template
from django.utils import timezone

from finder import presenting

register = template.Library()


@register.simple_tag
def study_warnings(study):
    return presenting.warnings(study, timezone.localdate())
