"""`python -m passport_registry.json_schema`: write or check the committed JSON Schema."""

from passport_registry.json_schema import main

raise SystemExit(main())
