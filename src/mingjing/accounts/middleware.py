"""The session flag that a second factor was given at login (set by security.authn_views); the
middleware that asks for it is security.middleware.SecondFactorMiddleware."""

SESSION_KEY = "mingjing_2fa_ok"
