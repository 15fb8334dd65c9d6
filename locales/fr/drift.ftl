# La page de dérive des résultats d'un tour (/console/s/SLUG/results/N/drift), docs/statistics.md « Drift ».
console2-drift-link = Dérive : les notes se sont-elles rapprochées de la médiane du groupe ?
console2-drift-title = Dérive, tour { $from } → tour { $to }
console2-drift-intro = De combien les notes se sont rapprochées de la médiane précédente du groupe, et quelle part de ce mouvement a eu lieu après que les experts ont vu le retour. Pour chaque item, M est la médiane du tour { $from }, celle que les experts ont vue. La distance est l'écart moyen entre la note d'un expert et M : au tour { $from } (avant) et au tour { $to } (après). Seuls comptent les experts qui ont donné une note aux deux tours.
console2-drift-reading = Un « vers la médiane » positif signifie que les réponses se sont resserrées autour du retour ; négatif, qu'elles s'en sont éloignées. « Vers / loin / inchangé » compte les experts dont la distance à M a diminué, augmenté ou est restée la même.
console2-drift-feedback-help = Dans cette étude, les experts notaient chaque item avant de voir les réponses du groupe. « Avant retour → finale » compare cette première note à la note finale : distances moyennes à M, rapprochement de M (la part de la dérive venue après le retour) et combien se sont rapprochés, éloignés ou n'ont pas bougé.
console2-drift-no-feedback = Dans cette étude, les experts voyaient les réponses du groupe dès le début ([feedback] timing = "before") : il n'y a pas de notes avant retour à comparer.
console2-drift-panel = Tout le panel
console2-drift-panel-caption = Dérive par item, tout le panel
console2-drift-sets = Par groupe de parties prenantes et selon l'arrivée des experts
console2-drift-sets-help = Les mêmes chiffres pour les experts de chaque groupe, et pour ceux qui ont répondu dès le premier tour face à ceux arrivés plus tard ; M reste la médiane du panel, celle que tous ont vue.
console2-drift-sets-caption = Dérive par item, par groupe et par cohorte
console2-drift-median = Médiane précédente (M)
console2-drift-experts = Experts comptés
console2-drift-before = Distance avant
console2-drift-after = Distance après
console2-drift-toward = Vers la médiane
console2-drift-moved = Vers / loin / inchangé
console2-drift-feedback = Avant retour → finale
console2-drift-later-minus-early = Tardifs moins premiers
console2-drift-set = Experts
console2-drift-early = Premières réponses au tour { $n }
console2-drift-later = Arrivés après le tour { $n }
console2-drift-none = Aucun item n'a été noté à la fois au tour { $from } et au tour { $to }.
