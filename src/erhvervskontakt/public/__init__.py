"""The pages anyone may read without logging in: the municipality's processing times, the
published inspection reports, and the satisfaction survey a business answers by the
one-time link in its e-mail. Reads through the domain's selectors, writes (a survey answer)
through its services; no models."""
