"""`{% screening_outcome_of record as outcome %}`: the screening outcome the viewer may see."""

from django import template

from mingjing.oversight.selectors import screening_outcome_for

register = template.Library()


@register.simple_tag(takes_context=True)
def screening_outcome_of(context, record) -> dict | None:
    """The outcome for the page's actor, or None (nothing shown) when he may not see it."""
    request = context.get("request")
    actor = context.get("actor") or getattr(request, "actor", None)
    if actor is None or record is None:
        return None
    return screening_outcome_for(actor, record)
