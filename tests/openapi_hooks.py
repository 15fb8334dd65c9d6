"""schemathesis hooks for tests/openapi_fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

`POST /api/v1/bounces` takes a raw email (`message/rfc822`), which schemathesis cannot send by
itself: its generated strings go as the plain text they are.
"""
import schemathesis

schemathesis.serializer.alias("message/rfc822", "text/plain")
