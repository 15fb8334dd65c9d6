# The drift page of a round's results (/console/s/SLUG/results/N/drift), docs/statistics.md "Drift".
# M is the median of the previous round, the number experts were shown as the group's answer.
console2-drift-link = Drift: did the scores move toward the group's median?
console2-drift-title = Drift, round { $from } → round { $to }
console2-drift-intro = How much the scores moved toward the group's previous median, and how much of that happened after experts saw the feedback. For each item, M is the median of round { $from }, the one experts were shown. The distance is how far, on average, an expert's score lay from M: in round { $from } (before) and in round { $to } (after). Only experts who gave a score in both rounds count.
console2-drift-reading = A positive "toward the median" means the answers drew together around the feedback; a negative one, that they spread away from it. "Toward / away / stayed" counts the experts whose own distance to M shrank, grew or stayed the same.
console2-drift-feedback-help = In this study experts rated each item before seeing the group's answers. "Pre-feedback → final" compares that first score with the final one: mean distances to M, the shift toward M (how much of the drift came after seeing the feedback), and how many moved toward / away / stayed.
console2-drift-no-feedback = Experts saw the group's answers from the start in this study ([feedback] timing = "before"), so there are no pre-feedback scores to compare.
console2-drift-panel = Whole panel
console2-drift-panel-caption = Drift per item, whole panel
console2-drift-sets = By stakeholder group and by when experts joined
console2-drift-sets-help = The same figures for the experts of each group, and for those who first answered in the study's first round against those who joined later; M stays the panel's median, the one everyone saw.
console2-drift-sets-caption = Drift per item, by group and by cohort
console2-drift-median = Previous median (M)
console2-drift-experts = Experts counted
console2-drift-before = Distance before
console2-drift-after = Distance after
console2-drift-toward = Toward the median
console2-drift-moved = Toward / away / stayed
console2-drift-feedback = Pre-feedback → final
console2-drift-later-minus-early = Later minus early
console2-drift-set = Experts
console2-drift-early = First answered in round { $n }
console2-drift-later = Joined after round { $n }
console2-drift-none = No item was rated in both round { $from } and round { $to }.
