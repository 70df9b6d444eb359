from mingjing.web.navigation import menu_for


def navigation(request) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(actor, request.path), "actor": actor}
