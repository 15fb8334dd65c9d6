# Catalogue français. Toute clé absente retombe sur l'anglais (en.ftl).

language-name = Français
site-tagline = Delphi — études de consensus libres et ouvertes.
skip-to-content = Aller au contenu
