# English catalogue (the fallback for every other language). Fluent syntax:
# https://projectfluent.org — `key = text`, variables as { $name }.

language-name = English
site-tagline = Delphi — open-source consensus studies.
skip-to-content = Skip to content
