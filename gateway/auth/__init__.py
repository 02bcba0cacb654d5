"""Who is asking: caller authentication (JWTs, API keys) and the scopes they hold."""
