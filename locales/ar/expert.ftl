# كل ما يمكن أن يقرأه الخبير في صفحة (المفاتيح نفسها الموجودة في en/expert.ftl).
# العربية الفصحى بصيغة الجمع للتوقير: الخبراء باحثون وأطباء متمرسون.
# Arabic plurals: zero, one, two, few (3–10), many (11–99), other (100–102…).

## Site chrome (layouts/base.hbs), and the language's own name wherever one is chosen
language-name = العربية
site-tagline = دلفي: دراسات توافق الآراء مفتوحة المصدر.
skip-to-content = الانتقال إلى المحتوى

## The questionnaire, its review, done and closed pages, and the page of a link that does not work
expert-round = الجولة { $round }
expert-deadline = يُرجى الإجابة قبل { $deadline }
expert-about = عن هذه الدراسة
expert-how-to = اختاروا درجة واحدة لكل بند، والتعليق اختياري. اضغطوا «حفظ» للاحتفاظ بإجاباتكم والعودة إليها لاحقًا من أي جهاز باستخدام الرابط نفسه.
expert-progress = تمت الإجابة عن { $answered } من أصل { $total ->
    [one] بند واحد
    [two] بندين
    [few] { $total } بنود
    [many] { $total } بندًا
   *[other] { $total } بند
}
expert-error-title = لم تُحفظ إجاباتكم
expert-error-help = يُرجى تصحيح هذا البند ثم الحفظ مجددًا. لم يُحفظ أي شيء من هذه الصفحة.
expert-error-prefix = خطأ:
expert-saved-notice = حُفظت إجاباتكم. يمكنكم تعديلها باستخدام الرابط نفسه إلى حين إغلاق الجولة.
expert-suggested-notice = شكرًا لكم: أُرسل اقتراحكم إلى فريق الدراسة.
expert-already-submitted = لقد أرسلتم إجاباتكم، وما زال بإمكانكم تعديلها إلى حين إغلاق الجولة.
expert-feedback-title = ترون تحت كل بند كيف قيّمته لجنة الخبراء في الجولة السابقة، وتظهر فيه درجتكم مميزةً ومعلَّمةً بمثلث.
expert-your-previous = درجتكم السابقة: { $score }
expert-feedback-title-after = قيّموا كل بند أولًا، ثم ترون كيف قيّمته لجنة الخبراء في الجولة السابقة، وتظهر فيه درجتكم مميزةً ومعلَّمةً بمثلث، ويمكنكم عندئذٍ تغيير إجابتكم.
expert-feedback-held = قيّموا هذا البند أولًا، ثم ترون كيف قيّمته لجنة الخبراء في الجولة السابقة.
expert-feedback-revealed = تظهر الآن إجابات لجنة الخبراء في الجولة السابقة. يمكنكم تغيير إجابتكم.
expert-groups-hidden = لا تُعرض المجموعات التي يقل عدد المجيبين فيها عن { $min }، حفاظًا على سرية الهوية.
expert-comments = تعليقات الجولة السابقة (دون ذكر أسماء)
expert-unable = لا أستطيع التقييم
expert-comment = تعليق (اختياري)
expert-reason = لماذا غيّرتم درجتكم؟ (اختياري)
expert-save = حفظ
expert-review = المراجعة والإرسال
expert-suggest-title = اقتراح بند
expert-suggest-help = هل ثمة ما ينقص؟ اقترحوا بندًا جديدًا، وسيدرس فريق الدراسة كل اقتراح.
expert-suggest-text = البند الذي تقترحونه
expert-suggest-rationale = سبب أهميته (اختياري)
expert-suggest-section = القسم
expert-suggest-send = إرسال الاقتراح
expert-review-title = المراجعة والإرسال
expert-unanswered-title = بنود لم تُجيبوا عنها
expert-unanswered-help = يمكنكم الإرسال الآن وترك هذه البنود دون إجابة، أو العودة للإجابة عنها.
expert-all-answered = لقد أجبتم عن جميع البنود.
expert-submit = إرسال إجاباتي
expert-back = العودة إلى الاستبيان
expert-done-title = شكرًا جزيلًا!
expert-done-body = أُرسلت إجاباتكم عن الجولة { $round }، وقد بعثنا إليكم تأكيدًا بالبريد الإلكتروني.
expert-done-next = ما زال بإمكانكم تعديل إجاباتكم باستخدام الرابط نفسه إلى حين إغلاق الجولة. بعد ذلك يحسب فريق الدراسة النتائج، وإن كانت هناك جولة أخرى فستتلقون رابطًا جديدًا وترون كيف قيّمت لجنة الخبراء كل بند.
expert-change = تعديل إجاباتي
expert-closed-title = أُغلقت الجولة { $round }
expert-closed-body = شكرًا لمشاركتكم. لم يعد بالإمكان تعديل الإجابات عن هذه الجولة.
expert-closed-next = يدرس فريق الدراسة النتائج الآن. وإن كانت هناك جولة أخرى، فستتلقون رسالة بالبريد الإلكتروني تتضمن رابطًا شخصيًا جديدًا ونتائج لجنة الخبراء.
expert-closed-finished = انتهت الدراسة، وسيُطلع فريق الدراسة لجنة الخبراء على النتائج.
expert-unknown-title = هذا الرابط لا يعمل
expert-unknown-body = يُرجى التأكد من أنكم نسختم الرابط كاملًا من رسالتكم الإلكترونية. وإن ظل لا يعمل، فاطلبوا رابطًا جديدًا من فريق الدراسة.
expert-too-many = محاولات كثيرة جدًا بروابط لا تعمل. يُرجى الانتظار بضع دقائق ثم المحاولة مجددًا.
expert-chart-summary = الجولة { $round }: عدد من اختاروا { $range }: { $count } من أصل { $total }
expert-chart-summary-plain = الجولة { $round }: { $total ->
    [zero] لا توجد إجابات
    [one] إجابة واحدة
    [two] إجابتان
    [few] { $total } إجابات
    [many] { $total } إجابةً
   *[other] { $total } إجابة
}
expert-status-saving = جارٍ الحفظ…
expert-status-saved = حُفظ
expert-status-failed = لم يُحفظ
expert-retry = إعادة المحاولة
expert-error-not-in-round = هذا البند ليس جزءًا من هذه الجولة
expert-error-not-on-page = هذا البند ليس في صفحتك: يقيّم كل خبير البنود المخصّصة له فقط
expert-error-unknown-criterion = «{ $criterion }» ليس معيارًا في هذه الدراسة (أحد: { $criteria })
expert-error-no-criterion = حدّدوا المعيار الذي تخصه هذه الإجابة (أحد: { $criteria })
expert-error-not-a-score = «{ $value }» ليست درجة
expert-error-off-scale = الدرجة { $score } ليست ضمن المقياس من { $min } إلى { $max }
expert-error-no-unable = لا تتيح هذه الدراسة خيار «لا أستطيع التقييم»
expert-error-too-long = { $max ->
    [one] يتجاوز النص حرفًا واحدًا
    [two] يتجاوز النص حرفين
    [few] يتجاوز النص { $max } أحرف
    [many] يتجاوز النص { $max } حرفًا
   *[other] يتجاوز النص { $max } حرف
}

## The banner of a test expert's pages (test run)
test-expert-banner = تجربة: تُحفظ إجاباتكم بمعزل عن إجابات لجنة الخبراء ولا تُحتسب أبدًا.
test-expert-banner-rehearsal = تجربة: لم تُفتح الجولة { $round } بعد. تُحفظ إجاباتكم بمعزل عن إجابات لجنة الخبراء ولا تُحتسب أبدًا.

## Sample feedback on a facilitator's preview, in the previewed page's language
preview-sample-feedback = نتائج على سبيل المثال: أرقام افتراضية لأغراض هذه المعاينة
preview-sample-comment = تعليق على سبيل المثال: تظهر هنا تعليقات الجولة السابقة دون ذكر أسماء أصحابها.

## The lost-link page (/link) and leaving the study (/u/TOKEN)
link-page-title = هل فقدتم رابطكم؟
link-page-intro = أدخلوا عنوان البريد الإلكتروني الذي تلقيتم عليه الدعوة، وسنرسل إليكم رابطًا شخصيًا جديدًا.
link-page-email = عنوان بريدكم الإلكتروني
link-page-submit = أرسلوا إليّ رابطًا جديدًا
link-page-sent = إذا كان هذا العنوان يخص خبيرًا في جولة مفتوحة، فإن رابطًا جديدًا في طريقه إليه. يُرجى التحقق من صندوق الوارد، ومن مجلد الرسائل غير المرغوب فيها، خلال بضع دقائق.
link-page-too-many = طلبات كثيرة جدًا من اتصالكم. يُرجى الانتظار بضع دقائق ثم المحاولة مجددًا.
unsubscribe-title = الانسحاب من الدراسة
unsubscribe-confirm = أنتم على وشك الانسحاب من «{ $study }». لن تتلقوا بعد الآن أي رسائل بشأنها، ولن تُدعَوا إلى الجولات اللاحقة. وتبقى الإجابات التي قدمتموها جزءًا من نتائج الدراسة مجهولة الهوية.
unsubscribe-button = نعم، أرغب في الانسحاب من الدراسة
unsubscribe-done = لقد انسحبتم من «{ $study }». شكرًا لكم على مساهماتكم.

## The experts' results page (/r/TOKEN/results)
results-title = نتائج الدراسة
results-finished = انتهت الدراسة في { $at }، بعد الجولة { $round }.
results-provisional = ما زالت الدراسة جارية: قد تتغير هذه النتائج.
results-tally = توافق على الإدراج: { $in }، توافق على الاستبعاد: { $out }، دون توافق: { $none }.
results-how-to-read = لكل بند: قرار لجنة الخبراء، ثم وسيط الدرجات والمدى الربيعي (IQR: مدى تشتت الدرجات) في آخر جولة طُرح فيها البند، مع عدد الخبراء الذين قيّموه (n).
results-status-in = توافق: إدراج
results-status-out = توافق: استبعاد
results-status-none = لا توافق
results-figures = الوسيط { $median } · المدى الربيعي { $iqr } · n = { $n } · الجولة { $round }
results-group = { $group } ({ $responders }): الوسيط { $median }، المدى الربيعي { $iqr }
results-criterion = { $criterion } ({ $scale }): { $status } · الوسيط { $median }، المدى الربيعي { $iqr }، n = { $n }
results-groups-hidden = لا تُعرض نتائج فئة من فئات أصحاب المصلحة إذا قلّ عدد من قيّموا البند منها عن { $min }، كي لا يتمكن أحد من استنتاج درجة أي شخص.
results-anonymous = تعرض هذه الصفحة نتائج لجنة الخبراء فقط، ولا تكشف أبدًا من أجاب بماذا.
results-chnri-title = أولويات البحث
results-chnri-how-to-read = لكل سؤال بحثي درجة أولوية (RPS، من 0 إلى 100: كلما ارتفعت، رأت لجنة الخبراء أنه أجدر بالتمويل) ومتوسط اتفاق الخبراء (AEA، من 0 إلى 1: متوسط نسبة الخبراء الذين أعطوا الإجابة الأكثر شيوعًا). تُعرض الأسئلة من الأعلى أولوية إلى الأدنى.
results-chnri-weighted = لا تتساوى المعايير كلها في وزنها، لذا رُتبت الأسئلة حسب الدرجة المرجّحة (RPS المرجّحة).
results-chnri-thresholds = يجتاز السؤال العتبات إذا بلغ العتبة في كل معيار له عتبة.
results-rank = المرتبة { $rank }
results-chnri-passed = اجتاز جميع العتبات
results-chnri-below = دون العتبة في: { $criteria }
results-chnri-unscored = بلا درجة: الإجابات قليلة جدًا
results-chnri-figures = RPS { $rps } · AEA { $aea } · n = { $n }
results-chnri-figures-weighted = RPS المرجّحة { $wrps } · RPS { $rps } · AEA { $aea } · n = { $n }
results-ranking-title = الترتيب النهائي
results-ranking-intro = الترتيب المجمّع للجنة الخبراء في الجولة { $round }، من قوائم { $responded } من الخبراء: أول { $shown } من أصل { $offered } بندًا.
results-ranking-equal-groups = كان لكل فئة من فئات أصحاب المصلحة الوزن نفسه، أيًّا كان عدد خبرائها.
results-ranking-item = عدد من اختاروه: { $chosen }، ومن وضعوه أولًا: { $first }
results-ranking-none = لم يرتّب أي خبير أي بند.
expert-how-to-autosave = اختر درجة واحدة لكل بند؛ التعليق اختياري. تُحفظ كل إجابة تلقائيًا أثناء الإجابة: يمكنك التوقف في أي وقت والعودة لاحقًا من أي جهاز باستخدام الرابط نفسه.
expert-unknown-lost = هل فقدت رابطك؟ اطلب رابطًا جديدًا

## A ranking round's page (templates/expert/ranking.hbs, static/js/ranking.js)
ranking-round = الجولة { $round }: الترتيب
ranking-how-to = { $choose ->
    [one] اختر البند الأهم في رأيك. اترك البنود الأخرى على «غير مختار».
   *[other] اختر حتى { $choose } بنود ورقّمها من 1 (الأهم) إلى { $choose }. اترك البنود الأخرى على «غير مختار».
}
ranking-not-chosen = غير مختار
ranking-position = المرتبة { $position }
ranking-save = احفظ ترتيبي
ranking-saved-notice = تم حفظ ترتيبك. يمكنك تغييره بالرابط نفسه حتى تُغلق الجولة.
ranking-already-saved = لقد حفظت ترتيبًا. ما زال بإمكانك تغييره حتى تُغلق الجولة.
ranking-error-title = توجد مشكلة
ranking-error-help = لم يُحفظ ترتيبك. صحّحه واحفظه مرة أخرى؛ اختياراتك ما زالت في الصفحة.
ranking-error-repeated = المرتبة { $position } مُعطاة لأكثر من بند: { $items }. أعطِ كل مرتبة لبند واحد.
ranking-error-above-choose = «{ $item }» في المرتبة { $position }، لكن لا يمكنك اختيار أكثر من العدد المطلوب من البنود.
ranking-error-gap = لا يوجد بند في المرتبة { $position }. رقّم اختياراتك 1، 2، 3… دون فراغ.
ranking-error-not-a-position = «{ $value }» ليست مرتبة للبند «{ $item }».
ranking-error-not-in-round = «{ $item }» ليس جزءًا من هذه الجولة.
ranking-list-title = ترتيبك
ranking-list-empty = لم تختر أي بند بعد.
ranking-others-title = البنود غير المختارة
ranking-move-up = إلى الأعلى
ranking-move-down = إلى الأسفل
ranking-add = أضف إلى ترتيبي
ranking-remove = أزل
ranking-moved = نُقل { $item } إلى المرتبة { $position } من { $total }.
ranking-drag-hint = اسحب عنصرًا من مقبضه لإعادة ترتيبه، أو استخدم زرَّي النقل إلى الأعلى والأسفل.
ranking-added = أُضيف { $item } في المرتبة { $position }.
ranking-removed = أُزيل { $item } من ترتيبك.
ranking-full = { $choose ->
    [one] اخترت بندًا واحدًا، وهو الحد الأقصى. أزله لتختار غيره.
   *[other] اخترت { $choose } بنود، وهو الحد الأقصى. أزل واحدًا لتضيف آخر.
}
## جولة الأفكار (قبل الجولة 1)
expert-ideas-round = جولة الأفكار، قبل الجولة 1
expert-ideas-intro = اقترح حتى { $per_expert } بنود لكل موضوع أدناه، مع سبب إن شئت. اترك الخانة فارغة إن لم يكن لديك ما تضيفه. يمكنك تعديل مقترحاتك بالرابط نفسه حتى إغلاق الجولة.
expert-ideas-section-help = حتى { $per_expert } مقترحات.
expert-ideas-proposal = المقترح { $n }
expert-ideas-rationale = لماذا هو مهم (اختياري)
expert-ideas-save = حفظ مقترحاتي
expert-ideas-saved = تم حفظ مقترحاتك. يمكنك تعديلها حتى إغلاق الجولة.
expert-ideas-error-title = لم تُحفظ مقترحاتك
expert-ideas-closed-title = جولة الأفكار مغلقة
expert-chnri-how-to = لكل سؤال بحثي، أجب عن كل سؤال تحت كل معيار. اختر «لا أعرف» إذا كان السؤال خارج مجال خبرتك: فهذه الإجابة لا تُحتسب لصالح السؤال ولا ضده. احفظ متى شئت، ثم أرسل إجاباتك عند الانتهاء.
expert-chnri-how-to-autosave = لكل سؤال بحثي، أجب عن كل سؤال تحت كل معيار. اختر «لا أعرف» إذا كان السؤال خارج مجال خبرتك: فهذه الإجابة لا تُحتسب لصالح السؤال ولا ضده. تُحفظ كل إجابة تلقائيًا؛ أرسل إجاباتك عند الانتهاء.
expert-chnri-progress = تمت الإجابة عن { $answered } من { $total } سؤالًا
expert-chnri-yes = نعم
expert-chnri-undecided = مطّلع لكن متردد
expert-chnri-no = لا
expert-chnri-dont-know = لا أعرف
expert-chnri-error-help = لم يُحفظ أي شيء من هذه الصفحة. راجع إجاباتك واحفظ مرة أخرى.
