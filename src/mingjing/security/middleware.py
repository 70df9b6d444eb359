from django.utils.functional import SimpleLazyObject

from mingjing.security.actor import actor_for
from mingjing.security.signals import current_request


class ActorMiddleware:
    """Puts `request.actor` (who is asking, his court and roles) on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(getattr(request, "user", None)))
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
