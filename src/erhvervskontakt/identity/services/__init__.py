"""The identity app's writes: the login log, business logins (MitID Erhverv) and staff logins
(Entra ID). Interface code calls these and nothing else."""
