# كل الرسائل التي يتلقاها الخبير (المفاتيح نفسها الموجودة في en/mail.ftl).

## What every email to an expert shares: greeting, signature, link, unsubscribe, deadline
email-greeting = حضرة { $name } المحترم/ة،
email-signature = شكرًا لكم على مشاركتنا خبرتكم. — فريق الدراسة
email-link-intro = رابطكم الشخصي (يُرجى عدم مشاركته مع أحد):
email-link-button = فتح استبياني
email-unsubscribe-intro = ألا ترغبون في مواصلة المشاركة؟
email-unsubscribe-link = الانسحاب من الدراسة
email-expected-time = { $minutes ->
    [one] يستغرق ذلك دقيقة واحدة تقريبًا.
    [two] يستغرق ذلك دقيقتين تقريبًا.
    [few] يستغرق ذلك نحو { $minutes } دقائق.
   *[other] يستغرق ذلك نحو { $minutes } دقيقة.
} ويمكنكم التوقف في أي وقت والعودة لاحقًا، إذ تُحفظ كل إجابة فور تقديمها.
email-deadline = يُرجى الإجابة قبل { $deadline }.
email-no-deadline = تظل الجولة مفتوحة إلى أن يغلقها فريق الدراسة.
test-email-subject-prefix = [تجربة]

## Invitation to round 1
email-invitation-subject = { $study }: دعوة إلى الجولة { $round }
email-invitation-intro = الجولة { $round } من «{ $study }» مفتوحة الآن. { $items ->
    [one] نرجو منكم تقييم بند واحد والتعليق عليه إن رغبتم،
    [two] نرجو منكم تقييم بندين والتعليق عليهما إن رغبتم،
    [few] نرجو منكم تقييم { $items } بنود والتعليق عليها إن رغبتم،
    [many] نرجو منكم تقييم { $items } بندًا والتعليق عليها إن رغبتم،
   *[other] نرجو منكم تقييم { $items } بند والتعليق عليها إن رغبتم،
} أو اقتراح بنود فاتتنا.

## Invitation to a later round, with the group's results
email-next-round-subject = { $study }: الجولة { $round } مفتوحة، مع نتائج المجموعة
email-next-round-intro = الجولة { $round } من «{ $study }» مفتوحة الآن: { $items ->
    [one] بند واحد يُعاد تقييمه.
    [two] بندان يُعاد تقييمهما.
    [few] { $items } بنود يُعاد تقييمها.
    [many] { $items } بندًا يُعاد تقييمها.
   *[other] { $items } بند يُعاد تقييمها.
} وسترون لكل بند، دون ذكر أسماء، كيف قيّمته لجنة الخبراء في الجولة السابقة إلى جانب إجابتكم، ويمكنكم الإبقاء على تقييمكم أو تغييره.

## Reminder
email-reminder-subject = تذكير: { $study }، الجولة { $round } بانتظاركم
email-reminder-intro = نود أن نذكّركم بأن الجولة { $round } من «{ $study }» مفتوحة، وأننا لم نتلقَّ إجاباتكم بعد.
email-reminder-closes = تُغلق الجولة في { $deadline }.

## A new personal link, asked for on the lost-link page
email-new-link-subject = { $study }: رابطكم الشخصي الجديد
email-new-link-intro = طلبتم رابطًا جديدًا إلى الجولة { $round } من «{ $study }»، وها هو ذا. وتظل الروابط التي تلقيتموها سابقًا صالحة.
email-new-link-not-you = إذا لم تطلبوه، فيمكنكم تجاهل هذه الرسالة.

## Thank-you after submitting, with a copy of the answers
email-thank-you-subject = { $study }: شكرًا لكم على إجاباتكم عن الجولة { $round }
email-thank-you-intro = شكرًا لكم: تلقينا إجاباتكم عن الجولة { $round } من «{ $study }». وإليكم نسخة منها للاحتفاظ بها.
email-thank-you-item = البند
email-thank-you-answer = إجابتكم
email-thank-you-comment = التعليق
email-thank-you-unable = لا أستطيع التقييم
email-thank-you-unanswered = دون إجابة
email-thank-you-outro = ما زال بإمكانكم، إلى حين إغلاق الجولة، تعديل إجاباتكم باستخدام الرابط الشخصي الوارد في دعوتكم.

## The closing email, with the link to the results
email-study-closed-subject = { $study }: النتائج، مع خالص الشكر
email-study-closed-intro = انتهت دراسة «{ $study }»، وكانت الجولة { $round } هي الأخيرة. شكرًا لكم على ما بذلتموه فيها من وقت وخبرة.
email-study-closed-agreed = { $agreed ->
    [0] لم تتوصل لجنة الخبراء إلى توافق بشأن أي بند، وتبيّن صفحة النتائج ما انتهت إليه الآراء.
    [one] توصلت لجنة الخبراء إلى توافق بشأن بند واحد.
    [two] توصلت لجنة الخبراء إلى توافق بشأن بندين.
    [few] توصلت لجنة الخبراء إلى توافق بشأن { $agreed } بنود.
    [many] توصلت لجنة الخبراء إلى توافق بشأن { $agreed } بندًا.
   *[other] توصلت لجنة الخبراء إلى توافق بشأن { $agreed } بند.
}
email-study-closed-chnri = رتّبت إجابات لجنة الخبراء { $questions } من الأسئلة البحثية، وتعرضها صفحة النتائج مع درجاتها.
email-study-closed-ranking = الترتيب النهائي للجنة الخبراء لـ { $items } من البنود جاهز، وتعرض صفحة النتائج أوائل القائمة.
email-study-closed-button = عرض النتائج
email-study-closed-link-intro = النتائج متاحة في صفحة خاصة بها، على رابطكم الشخصي (يُرجى عدم مشاركته مع أحد):
email-study-closed-anonymous = تعرض الصفحة نتائج لجنة الخبراء فقط: لا أسماء، ولا إجابات فردية.
email-study-closed-signature = مع خالص الشكر — فريق الدراسة

## Invitation to a ranking round
email-ranking-subject = { $study }: الجولة { $round } تطلب منك ترتيب الأولويات
email-ranking-intro = الجولة { $round } من «{ $study }» مفتوحة الآن: { $items ->
    [one] بلغ بند واحد الإجماع.
   *[other] بلغت { $items } بنود الإجماع.
} نطلب منك اختيار { $choose } منها على الأكثر وترتيبها، الأهم أولًا.
## جولة الأفكار، قبل الجولة 1: يقترح الخبراء بنودًا
email-ideas-subject = { $study }: أفكارك، قبل الجولة 1
email-ideas-intro = قبل أي تقييم، يطلب فريق «{ $study }» أفكارك: حتى { $per_expert } مقترحات لكل موضوع، مع سبب لكل منها إن شئت. سيحوّلها الفريق إلى بنود الجولة 1. السؤال:
email-ideas-reminder-subject = تذكير: { $study } بانتظار أفكارك
email-ideas-reminder-intro = نذكّرك بأن «{ $study }» يجمع الأفكار قبل الجولة 1 ولم نتلقَّ أفكارك بعد.
