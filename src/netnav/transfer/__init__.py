"""Moving a NETNav library between backends: `netnav export DIR` writes a dump of the current backend
(the data home's SQLite store, or PostgreSQL with --database-url), `netnav import DIR` loads one.

Home -> PostgreSQL: `netnav export dump/` then `netnav --database-url postgresql://... import dump/`;
and back the other way. See netnav.transfer.run for what is copied and how it is checked.
"""
