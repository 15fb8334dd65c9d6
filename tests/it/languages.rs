//! Experts in Spanish, Portuguese and Arabic: a study in Arabic gives its experts right-to-left
//! pages and emails in Arabic, and marks its items' direction on the pages of experts who read
//! another language; a study in Spanish offered in Portuguese gives each expert their own
//! language; the console stays in the languages it is complete in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use delphi::db::models::experts::Expert;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::DbConnection;
use delphi::service::outbox::Worker;
use delphi::service::{studies, Store};

use crate::support::app::{spawn_app, TestApp, TestDatabase};
use crate::support::fixtures::create_study_from;
use crate::support::forms::{post_form, unescape};
use crate::support::mail::decoded;
use crate::support::rounds::{experts, open_round, open_round_with_links};
use crate::support::sign_in::add_facilitator;
use crate::support::smtp::{smtp_settings, SmtpServer};

const ARABIC: &str = "ar-lactation";
const SPANISH: &str = "es-lactancia";

/// The study.toml of a study under tests/fixtures.
fn fixture(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)
        .join("study.toml")
}

/// The text as a reader sees it: entities decoded, and without the invisible marks that keep
/// the variables of an Arabic sentence in their own direction.
fn plain(text: &str) -> String {
    unescape(text).replace(['\u{2068}', '\u{2069}'], "")
}

/// A server with the Arabic and Spanish test studies, round 1 of each open: their experts'
/// links by name.
async fn both_studies_open() -> (TestApp, HashMap<String, String>) {
    let app = spawn_app().await;
    create_study_from(&app.db, &fixture("arabic-study"), None);
    create_study_from(&app.db, &fixture("spanish-study"), None);
    let mut conn = app.db.get().unwrap();
    let mut links = HashMap::new();
    for slug in [ARABIC, SPANISH] {
        let tokens = open_round_with_links(&app, &mut conn, slug);
        for expert in experts(&mut conn, slug) {
            links.insert(expert.name.clone(), format!("/r/{}", tokens[&expert.id]));
        }
    }
    (app, links)
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn an_arabic_expert_answers_a_right_to_left_page_in_arabic() {
    let (app, links) = both_studies_open().await;
    let layla = &links["ليلى حداد"];
    let html = page(&app, layla).await;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    let text = plain(&html);
    // The page's own words.
    assert!(text.contains("الانتقال إلى المحتوى"), "skip link: {text}");
    assert!(text.contains(">حفظ</button>"), "{text}");
    assert!(text.contains(">المراجعة والإرسال</button>"), "{text}");
    assert!(text.contains("لا أستطيع التقييم"), "{text}");
    assert!(text.contains("تمت الإجابة عن 0 من أصل 8 بنود"), "{text}");
    assert!(text.contains("اقتراح بند"), "{text}");
    // The study's texts, in Arabic, not marked as another language.
    assert!(
        text.contains("<h1>مكملات المغذيات الدقيقة أثناء الرضاعة الطبيعية</h1>"),
        "{text}"
    );
    assert!(text.contains("مؤشرات صحة الرضيع وسلامته"), "section title");
    assert!(text.contains("تركيز الهيموغلوبين في الدم الوريدي"), "item text");
    assert!(
        text.contains("الجرعة المثلى من فيتامين د للأمهات المرضعات"),
        "item text"
    );
    assert!(
        text.contains("<span> بالغ الأهمية</span>"),
        "the scale's words in Arabic"
    );
    assert!(
        !text.contains("dir=\"auto\""),
        "nothing on the page is in another language"
    );
    assert!(!text.contains("Haemoglobin"), "not the English translation");

    // A score off the scale: nothing saved, the error summary and the item's error in Arabic.
    let response = post_form(&app, layla, &[("s_M01", "12"), ("s_M02", "7")]).await;
    assert_eq!(response.status(), 422);
    let text = plain(&response.text().await.unwrap());
    assert!(text.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(text.contains("لم تُحفظ إجاباتكم"), "{text}");
    assert!(text.contains("يُرجى تصحيح هذا البند ثم الحفظ مجددًا"), "{text}");
    assert!(
        text.contains("M01: الدرجة 12 ليست ضمن المقياس من 1 إلى 9"),
        "{text}"
    );
    assert!(text.contains("<strong>خطأ:</strong>"), "{text}");

    // Autosave words the progress for the page, with the Arabic plural.
    let response = app
        .client
        .post(app.url(&format!("{layla}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", "M01"), ("score", "8")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["progress"]["answered"], 1);
    let progress = plain(body["progress_text"].as_str().unwrap());
    assert_eq!(progress, "تمت الإجابة عن 1 من أصل 8 بنود");

    // Review before submitting: the unanswered items, in Arabic.
    let response = post_form(&app, layla, &[("s_M02", "5"), ("action", "review")]).await;
    assert_eq!(response.status(), 200);
    let text = plain(&response.text().await.unwrap());
    assert!(text.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(text.contains("<h1>المراجعة والإرسال</h1>"), "{text}");
    assert!(text.contains("بنود لم تُجيبوا عنها"), "{text}");
    assert!(text.contains("تمت الإجابة عن 2 من أصل 8 بنود"), "{text}");
    assert!(
        text.contains("الرضاعة الطبيعية الحصرية حتى عمر ستة أشهر"),
        "{text}"
    );
    assert!(text.contains(">إرسال إجاباتي</button>"), "{text}");
}

#[tokio::test]
async fn experts_of_the_arabic_study_who_read_another_language_see_its_direction_marked() {
    let (app, links) = both_studies_open().await;
    // No language of his own: the study's.
    let omar = page(&app, &links["عمر بن علي"]).await;
    assert!(omar.contains("<html lang=\"ar\" dir=\"rtl\">"));

    // English: the study translates everything, so the whole page is English, left to right.
    let nadia = plain(&page(&app, &links["Nadia Rahman"]).await);
    assert!(nadia.contains("<html lang=\"en\" dir=\"ltr\">"), "{nadia}");
    assert!(nadia.contains("<h1>Micronutrient supplementation during breastfeeding</h1>"));
    assert!(nadia.contains("Haemoglobin concentration (g/L) in venous blood"));
    assert!(nadia.contains("0 of 8 items answered"), "{nadia}");
    assert!(!nadia.contains("dir=\"auto\""), "{nadia}");

    // French: French pages, and the untranslated items in Arabic, marked as such so that they
    // run right to left inside the left-to-right page.
    let youssef = plain(&page(&app, &links["Youssef Amrani"]).await);
    assert!(youssef.contains("<html lang=\"fr\" dir=\"ltr\">"), "{youssef}");
    assert!(youssef.contains(">Enregistrer</button>"));
    assert!(youssef.contains("0 élément renseigné sur 8"), "{youssef}");
    assert!(
        youssef.contains("<span lang=ar dir=auto>تركيز الهيموغلوبين في الدم الوريدي"),
        "{youssef}"
    );
    assert!(youssef.contains("<div class=desc lang=ar dir=auto>"), "{youssef}");
}

#[tokio::test]
async fn spanish_and_portuguese_experts_read_their_own_language() {
    let (app, links) = both_studies_open().await;
    for name in ["María González", "Carlos Ruiz"] {
        let text = plain(&page(&app, &links[name]).await);
        assert!(text.contains("<html lang=\"es\" dir=\"ltr\">"), "{name}");
        assert!(text.contains("Saltar al contenido"), "{name}");
        assert!(text.contains(">Guardar</button>"), "{name}");
        assert!(text.contains("No puedo puntuarlo"), "{name}");
        assert!(text.contains("0 de 6 ítems respondidos"), "{name}: {text}");
        assert!(text.contains("<h1>Suplementación con micronutrientes durante la lactancia</h1>"));
        assert!(text.contains("Concentración de hemoglobina (g/L) en sangre venosa"));
        assert!(text.contains("<span> Importante pero no crítico</span>"));
    }

    // Ana's language is pt-BR: the Portuguese catalogue and the study's Portuguese texts.
    let ana = &links["Ana Souza"];
    let text = plain(&page(&app, ana).await);
    assert!(text.contains("<html lang=\"pt\" dir=\"ltr\">"), "{text}");
    assert!(text.contains("Ir para o conteúdo"));
    assert!(text.contains(">Salvar</button>"));
    assert!(text.contains(">Revisar e enviar</button>"));
    assert!(text.contains("Não consigo avaliar"));
    assert!(text.contains("0 de 6 itens respondidos"), "{text}");
    assert!(text.contains("<h1>Suplementação com micronutrientes durante a lactação</h1>"));
    assert!(
        text.contains("Indicadores de saúde e segurança do lactente"),
        "section title"
    );
    assert!(text.contains("Concentração de hemoglobina (g/L) no sangue venoso"));
    assert!(text.contains("<span> Importante, mas não crítico</span>"));
    assert!(
        !text.contains("Concentración de hemoglobina"),
        "not the Spanish text"
    );
    assert!(!text.contains("dir=\"auto\""), "everything is translated");

    let response = post_form(&app, ana, &[("s_M01", "0")]).await;
    assert_eq!(response.status(), 422);
    let text = plain(&response.text().await.unwrap());
    assert!(text.contains("As suas respostas não foram salvas"), "{text}");
    assert!(text.contains("M01: 0 não está na escala 1–9"), "{text}");
    let response = post_form(&app, ana, &[("s_M01", "9"), ("action", "review")]).await;
    let text = plain(&response.text().await.unwrap());
    assert!(text.contains("Itens sem resposta"), "{text}");
    assert!(text.contains("1 de 6 itens respondidos"), "{text}");
}

#[tokio::test]
async fn pages_without_a_link_follow_the_browser_for_experts_and_stay_complete_for_facilitators() {
    let app = spawn_app().await;
    // With no account yet, the sign-in page would send everyone to the set-up.
    add_facilitator(&app.db, "facilitator@example.org");
    let get = |path: &'static str, language: &'static str| {
        let request = app.client.get(app.url(path)).header("Accept-Language", language);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let lost = plain(&get("/link", "ar-JO, en;q=0.5").await);
    assert!(lost.contains("<html lang=\"ar\" dir=\"rtl\">"), "{lost}");
    assert!(lost.contains("هل فقدتم رابطكم؟"), "{lost}");
    let lost = plain(&get("/link", "pt-PT").await);
    assert!(lost.contains("Perdeu o seu link?"), "{lost}");
    let unknown = plain(&get("/r/not-a-link", "es-CO").await);
    assert!(unknown.contains("<html lang=\"es\" dir=\"ltr\">"), "{unknown}");
    assert!(unknown.contains("Este enlace no funciona"), "{unknown}");

    // The console has no Arabic or Spanish: facilitators asking for them get the next language
    // they accept that the console has, else English.
    let login = plain(&get("/login", "ar, fr;q=0.8").await);
    assert!(login.contains("<html lang=\"fr\" dir=\"ltr\">"), "{login}");
    assert!(login.contains("Connexion"), "{login}");
    let login = plain(&get("/login", "es").await);
    assert!(login.contains("<html lang=\"en\" dir=\"ltr\">"), "{login}");
    assert!(login.contains("Sign in"), "{login}");
}

/// The invitation queued for `email`.
fn invitation_to<'a>(emails: &'a [OutboxEmail], email: &str) -> &'a OutboxEmail {
    emails
        .iter()
        .find(|e| e.kind == "invitation" && e.recipient.contains(email))
        .unwrap_or_else(|| panic!("no invitation to {email}"))
}

fn email_of(conn: &mut DbConnection, slug: &str, name: &str) -> String {
    let study = studies::load(conn, slug).unwrap();
    Expert::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .find(|e| e.name == name)
        .and_then(|e| e.email)
        .unwrap()
}

#[tokio::test]
async fn invitations_are_written_in_spanish_portuguese_and_arabic_and_arrive_whole() {
    let database = TestDatabase::new();
    let db = database.connect();
    create_study_from(&db, &fixture("arabic-study"), None);
    create_study_from(&db, &fixture("spanish-study"), None);
    let mut conn = db.get().unwrap();
    assert_eq!(open_round(&mut conn, ARABIC), 4);
    assert_eq!(open_round(&mut conn, SPANISH), 3);
    let emails = OutboxEmail::all(&mut conn, None).unwrap();

    let maria = invitation_to(&emails, &email_of(&mut conn, SPANISH, "María González"));
    assert_eq!(
        maria.subject,
        "Suplementación con micronutrientes durante la lactancia: le invitamos a la ronda 1"
    );
    assert!(
        maria.body_text.starts_with("Estimado/a María González:"),
        "{}",
        maria.body_text
    );
    assert!(maria
        .body_text
        .contains("Le pedimos que puntúe 6 ítems y, si lo desea, que los comente"));
    assert!(
        maria.body_text.contains("Le llevará unos 5 minutos."),
        "{}",
        maria.body_text
    );
    assert!(
        maria
            .body_text
            .contains("¿Ya no desea participar? http://delphi.test/u/"),
        "{}",
        maria.body_text
    );
    let html = maria.body_html.as_deref().unwrap();
    assert!(html.contains("<html lang=\"es\" dir=\"ltr\">"), "{html}");
    assert!(html.contains(">Abrir mi cuestionario</a>"), "{html}");

    let ana = invitation_to(&emails, &email_of(&mut conn, SPANISH, "Ana Souza"));
    assert!(
        ana.subject.ends_with(": convite para a rodada 1"),
        "{}",
        ana.subject
    );
    assert!(
        ana.body_text.starts_with("Prezado(a) Ana Souza,"),
        "{}",
        ana.body_text
    );
    assert!(
        ana.body_text.contains("Pedimos que avalie 6 itens"),
        "{}",
        ana.body_text
    );

    let layla_email = email_of(&mut conn, ARABIC, "ليلى حداد");
    let layla = invitation_to(&emails, &layla_email);
    assert_eq!(
        plain(&layla.subject),
        "مكملات المغذيات الدقيقة أثناء الرضاعة الطبيعية: دعوة إلى الجولة 1"
    );
    let text = plain(&layla.body_text);
    assert!(text.starts_with("حضرة ليلى حداد المحترم/ة،"), "{text}");
    assert!(
        text.contains("نرجو منكم تقييم 8 بنود والتعليق عليها إن رغبتم، أو اقتراح بنود فاتتنا."),
        "{text}"
    );
    assert!(text.contains("يستغرق ذلك نحو 5 دقائق."), "{text}");
    assert!(
        text.contains("ألا ترغبون في مواصلة المشاركة؟ http://delphi.test/u/"),
        "{text}"
    );
    let html = layla.body_html.as_deref().unwrap();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("<body dir=\"rtl\">"), "{html}");
    assert!(html.contains(">فتح استبياني</a>"), "{html}");
    // An expert without a language of their own gets the study's.
    let omar = invitation_to(&emails, &email_of(&mut conn, ARABIC, "عمر بن علي"));
    assert!(omar.body_html.as_deref().unwrap().contains("dir=\"rtl\""));
    let nadia = invitation_to(&emails, &email_of(&mut conn, ARABIC, "Nadia Rahman"));
    assert!(
        nadia.body_text.contains("We ask you to rate 8 items"),
        "{}",
        nadia.body_text
    );
    assert!(nadia
        .body_html
        .as_deref()
        .unwrap()
        .contains("<html lang=\"en\" dir=\"ltr\">"));

    // Over SMTP the Arabic message arrives whole: UTF-8 body, and the subject encoded.
    let server = SmtpServer::start().await;
    let worker = Worker::new(
        Store::from_db(db.clone()),
        smtp_settings(&database, server.port()),
    )
    .unwrap();
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.sent, 7, "{summary:?}");
    let received = server.received();
    let to_layla = received
        .iter()
        .find(|m| m.to.iter().any(|to| to.contains(&layla_email)))
        .expect("Layla's invitation was delivered");
    let message = plain(&decoded(&to_layla.data));
    assert!(message.contains("حضرة ليلى حداد المحترم/ة،"), "{message}");
    assert!(message.contains("<html lang=\"ar\" dir=\"rtl\">"), "{message}");
    assert!(
        message.to_ascii_lowercase().contains("subject: =?utf-8?"),
        "{message}"
    );
}
