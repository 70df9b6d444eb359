"""The session flag that a second factor was given at login (set by accounts.views); the
middleware that asks for it is security.middleware.SecondFactorMiddleware."""

SESSION_KEY = "mingjing_2fa_ok"
