"""The words of the demo content: topics, service pages and articles, written for this project.

Bodies are lists of ``(block_type, value)``. Two placeholders are resolved by cms/demo.py when the pages are made:
``("image", {"image": ("Demo figure: title", "alt text", seed), ...})`` becomes a generated image, and a callout's
``"page": "service-slug"`` becomes that service page. References point at public patient resources; they are demo
material and should be checked by a clinician before real use.
"""

NCI_PAIN = {
    "title": "Cancer Pain (PDQ) - Patient Version",
    "source": "National Cancer Institute",
    "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/pain/pain-pdq",
}
NIMH_DEPRESSION = {
    "title": "Depression",
    "source": "National Institute of Mental Health",
    "url": "https://www.nimh.nih.gov/health/topics/depression",
}
NCPTSD = {
    "title": "PTSD: National Center for PTSD",
    "source": "U.S. Department of Veterans Affairs",
    "url": "https://www.ptsd.va.gov/",
}
FDA_ESKETAMINE = {
    "title": "FDA approves new nasal spray medication for treatment-resistant depression",
    "source": "U.S. Food and Drug Administration",
    "year": 2019,
    "url": "https://www.fda.gov/news-events/press-announcements/fda-approves-new-nasal-spray-medication-treatment-resistant-depression-available-only-certified",
}


def refs(*items):
    return ("references", {"heading": "References", "citations": [dict(item) for item in items]})


def heading(text):
    return ("heading", {"text": text, "level": "h2"})


def text(html):
    return ("rich_text", html)


def care_team(html, page=None, link_text=""):
    return (
        "callout",
        {"tone": "care_team", "title": "Talk to your care team", "text": html, "page": page, "link_text": link_text},
    )


def faq(question, answer_html):
    return ("faq", {"question": question, "answer": answer_html})


def figure(title, alt, seed, caption=""):
    return ("image", {"image": (title, alt, seed), "alt_text": alt, "caption": caption, "attribution": ""})


TOPICS = [
    ("pain-management", "Pain management", "Acute and chronic pain, and the treatments that ease it."),
    ("cancer-care", "Cancer care", "Living with cancer and the side effects of its treatment."),
    ("depression", "Depression", "Depression, including depression that has not responded to other treatment."),
    ("ptsd", "PTSD", "Post-traumatic stress disorder and how it is treated."),
    ("side-effects", "Side effects", "What to expect during and after treatment, and what helps."),
    ("treatment-basics", "Treatment basics", "How ketamine treatment works, from consultation to follow-up."),
]

SERVICES = [
    {
        "slug": "ketamine-for-chronic-and-cancer-pain",
        "title": "Ketamine infusion for chronic and cancer pain",
        "conditions": "Chronic pain, cancer-related pain",
        "summary": "Low-dose ketamine infusions, given under medical supervision, as one part of a pain plan.",
        "alt": "Warm orange gradient with soft white rings",
        "topics": ["pain-management", "cancer-care", "treatment-basics"],
        "body": [
            heading("Who it may help"),
            text(
                "<p>Some people live with pain that stays hard to control even with standard medicines. Low-dose "
                "ketamine is being used and studied for some of these situations, alongside the rest of your "
                "pain care.</p>"
            ),
            faq(
                "Will I still take my other pain medicines?",
                "<p>Usually yes. Any change to your medicines is decided with the clinicians who prescribe them.</p>",
            ),
        ],
    },
    {
        "slug": "ketamine-for-depression",
        "title": "Ketamine infusion for depression",
        "conditions": "Depression, including treatment-resistant depression",
        "summary": "Supervised ketamine infusions for adults whose depression has not improved enough with other care.",
        "alt": "Calm violet gradient with soft white rings",
        "topics": ["depression", "treatment-basics"],
        "body": [
            heading("Is it right for me?"),
            text(
                "<p>A consultation looks at your history, your current treatment and your safety before anything "
                "is decided. Ketamine is not suitable for everyone.</p>"
            ),
            faq(
                "How many infusions are there?",
                "<p>Plans differ. Many begin with a short series of infusions and a review of how you responded.</p>",
            ),
        ],
    },
    {
        "slug": "ketamine-for-ptsd",
        "title": "Ketamine infusion for PTSD",
        "conditions": "Post-traumatic stress disorder",
        "summary": "Ketamine as a possible addition to trauma-focused care, given in a calm, supervised setting.",
        "alt": "Deep green gradient with soft white rings",
        "topics": ["ptsd", "treatment-basics"],
        "body": [
            heading("Part of a wider plan"),
            text(
                "<p>Research on ketamine for PTSD is still developing. We see it as something that may sit alongside "
                "therapy, not replace it.</p>"
            ),
            faq(
                "Do I need a referral?",
                "<p>You can contact us directly; we will ask to work with your existing care team.</p>",
            ),
        ],
    },
]

ARTICLES = [
    {
        "slug": "what-to-know-about-ketamine-and-cancer-pain-management",
        "title": "What to know about ketamine and cancer pain management",
        "summary": (
            "Ketamine, given at low doses under medical supervision, is one option being used and studied for "
            "cancer-related pain. Here is what it is, how it may help and which side effects to know about."
        ),
        "seo_title": "Ketamine and cancer pain: what patients should know",
        "seo_description": "How low-dose ketamine may ease cancer pain, its side effects, and questions to ask.",
        "alt": "Abstract gradient in warm amber and rose with overlapping white circles",
        "topics": ["cancer-care", "pain-management", "side-effects"],
        "last_reviewed": "2026-10-01",
        "body": [
            text(
                "<p>Pain is one of the things people with cancer worry about most. It can come from the tumour "
                "itself or from treatment such as surgery, chemotherapy or radiation, and it can be short-lived "
                "(acute) or last for months (chronic). When usual pain medicines are not enough, some care teams "
                "consider ketamine.</p>"
            ),
            heading("What is ketamine?"),
            text(
                "<p>Ketamine is a dissociative anaesthetic: at the doses used for surgery it produces a trance-like "
                "state and blocks pain. It has been used in hospitals for decades and is only given under medical "
                "supervision. At much lower doses it has been studied for other conditions, including depression "
                "and post-traumatic stress disorder (PTSD).</p>"
            ),
            heading("Can ketamine help with cancer-related pain?"),
            text(
                "<p>It may, for some people. In low-dose intravenous (IV) infusions, ketamine blocks NMDA receptors "
                "in the nervous system, which take part in passing on and amplifying pain signals. It also acts on "
                "opioid receptors. Together these effects may reduce pain, and may help when pain has become "
                "harder to treat with opioids alone.</p>"
                "<p>Ketamine is not a replacement for your other care. It can complement pain medicines, "
                "treatments aimed at the cancer and supportive care. Studies so far are promising but mixed, and "
                "more research is needed to know who benefits most, at what dose and for how long.</p>"
            ),
            figure(
                "Demo figure: how a pain signal travels",
                "Abstract illustration of signals travelling along a branching line",
                31,
                "Pain signals pass through receptors that ketamine can block.",
            ),
            heading("What are the side effects?"),
            text(
                "<p>Side effects are usually short-lived and are watched for during the infusion. They can "
                "include:</p>"
                "<ul><li>hallucinations or vivid dreams</li><li>paranoia or feeling detached from your "
                "surroundings</li><li>dizziness</li><li>problems with memory or concentration</li><li>raised blood "
                "pressure</li></ul>"
                "<p>Some of these can be eased with other medicines, for example a low dose of a benzodiazepine. "
                "The long-term effects of repeated ketamine treatment are not well understood yet, which is one "
                "reason treatment is planned and reviewed carefully.</p>"
            ),
            faq(
                "Is ketamine addictive?",
                "<p>Ketamine can be misused. Given at low doses in a clinic, with monitoring and a plan, the risk is "
                "managed by your care team, who will ask about your history before treatment.</p>",
            ),
            care_team(
                "<p>If cancer pain is affecting your life, talk to your care team about whether ketamine could be "
                "part of your plan, and book a consultation with us to talk it through.</p>",
                page="ketamine-for-chronic-and-cancer-pain",
                link_text="About ketamine for chronic and cancer pain",
            ),
            refs(NCI_PAIN),
        ],
    },
    {
        "slug": "preparing-for-your-first-ketamine-infusion",
        "title": "Preparing for your first ketamine infusion",
        "summary": "What happens before, during and after a first infusion, and how to plan your day around it.",
        "seo_title": "Your first ketamine infusion: how to prepare",
        "seo_description": "A practical guide to the day of your first ketamine infusion.",
        "alt": "Abstract gradient in pale blue and sand with white circles",
        "topics": ["treatment-basics", "side-effects"],
        "reviewer": "nurse",
        "last_reviewed": "2026-09-15",
        "body": [
            heading("Before the day"),
            text(
                "<p>You will have a consultation first. Bring a list of your medicines and tell us about heart, "
                "blood pressure or mental health conditions. We will tell you when to stop eating and drinking "
                "beforehand.</p>"
            ),
            heading("During the infusion"),
            text(
                "<p>A nurse places a small IV line and stays with you. The infusion usually lasts under an hour. "
                "Many people feel light, dreamy or detached; these feelings fade after the infusion ends.</p>"
            ),
            figure("Demo figure: a quiet infusion room", "Abstract soft gradient suggesting a calm room", 32),
            faq(
                "Can I drive home?",
                "<p>No. Arrange for someone to take you home and do not drive until the next day.</p>",
            ),
            care_team("<p>Unsure whether to take your usual medicines that morning? Ask us before the day.</p>"),
            (
                "quote",
                {"text": "Knowing what to expect made the first visit much easier.", "attribution": "Demo patient"},
            ),
            refs(NCI_PAIN),
        ],
    },
    {
        "slug": "ketamine-for-depression-what-the-research-says",
        "title": "Ketamine for depression: what the research says",
        "summary": "Why ketamine is being studied for depression that has not responded to other treatment.",
        "seo_title": "Ketamine for depression: an overview of the research",
        "seo_description": "A plain-language overview of ketamine and esketamine for hard-to-treat depression.",
        "alt": "Abstract gradient in indigo and lilac with white circles",
        "topics": ["depression", "treatment-basics"],
        "last_reviewed": "2026-08-20",
        "body": [
            heading("Why ketamine?"),
            text(
                "<p>Most antidepressants take weeks to work, and some people do not improve enough after trying "
                "several. Ketamine acts on a different brain chemical, glutamate, and in studies some people felt "
                "better within hours or days.</p>"
            ),
            heading("What we know and what we do not"),
            text(
                "<p>A nasal spray form, esketamine, is approved in the United States for treatment-resistant "
                "depression and is given in certified clinics. IV ketamine for depression is used off-label. "
                "Effects often fade without repeat treatment, and the best long-term approach is still being "
                "studied.</p>"
            ),
            figure("Demo figure: mood over time", "Abstract rising line on a soft purple background", 33),
            faq(
                "Will I stop my antidepressant?",
                "<p>Not usually. Ketamine is most often added to your current treatment, not used instead of it.</p>",
            ),
            care_team(
                "<p>If you have thoughts of harming yourself, call or text 988 now. Otherwise, talk to your care "
                "team about whether a consultation makes sense.</p>",
                page="ketamine-for-depression",
                link_text="About ketamine for depression",
            ),
            refs(NIMH_DEPRESSION, FDA_ESKETAMINE),
        ],
    },
    {
        "slug": "ketamine-and-ptsd-an-overview",
        "title": "Ketamine and PTSD: an overview for patients",
        "summary": "What is known about ketamine for post-traumatic stress disorder, and how it fits with therapy.",
        "seo_title": "Ketamine and PTSD: an overview",
        "seo_description": "How ketamine is being studied for PTSD and how it can sit alongside therapy.",
        "alt": "Abstract gradient in forest green and teal with white circles",
        "topics": ["ptsd", "treatment-basics"],
        "last_reviewed": "2026-07-30",
        "body": [
            heading("Where ketamine fits"),
            text(
                "<p>Trauma-focused talking therapies remain the main treatment for PTSD. Ketamine has been studied "
                "as a way to ease symptoms for some people, often alongside therapy. Results are encouraging but "
                "early.</p>"
            ),
            figure("Demo figure: steps in a care plan", "Abstract steps on a green gradient", 34),
            faq(
                "Will I have to talk about my trauma during the infusion?",
                "<p>No. The infusion itself is quiet and supervised; therapy happens separately.</p>",
            ),
            care_team(
                "<p>Ask your therapist or doctor whether ketamine could help, and book a consultation.</p>",
                page="ketamine-for-ptsd",
                link_text="About ketamine for PTSD",
            ),
            refs(NCPTSD),
        ],
    },
    {
        "slug": "managing-side-effects-after-a-ketamine-infusion",
        "title": "Managing side effects after a ketamine infusion",
        "summary": "Common, short-lived effects after an infusion, what helps, and when to call us.",
        "seo_title": "After a ketamine infusion: managing side effects",
        "seo_description": "Nausea, dizziness and tiredness after ketamine: what helps and when to get help.",
        "alt": "Abstract gradient in coral and peach with white circles",
        "topics": ["side-effects", "treatment-basics"],
        "reviewer": "nurse",
        "last_reviewed": "2026-09-01",
        "body": [
            heading("In the first few hours"),
            text(
                "<p>Tiredness, mild nausea, dizziness and feeling a little detached are common and usually pass the "
                "same day. Rest, drink water and eat something light.</p>"
            ),
            figure("Demo figure: rest and recovery", "Abstract calm waves on a coral gradient", 35),
            faq(
                "When should I call?",
                "<p>Call us if you have chest pain, a severe headache, confusion that does not improve, or anything "
                "that worries you. In an emergency call 911.</p>",
            ),
            care_team("<p>Tell us about any side effect at your next visit; we can often adjust the plan.</p>"),
            refs(NCI_PAIN),
        ],
    },
]

# The privacy notice (a cms.InfoPage the clinic edits), demo wording: a starting point for the clinic's own notice,
# to be checked by whoever answers for the clinic's privacy practices before it is published as real.
PRIVACY_NOTICE = {
    "slug": "privacy",
    "title": "Privacy notice",
    "summary": "What we collect when you use this site or subscribe to our articles, why, and how to stop.",
    "last_updated": "2026-10-01",
    "body": [
        (
            "callout",
            {
                "tone": "warning",
                "title": "Demo content",
                "text": "<p>This notice is sample wording for trying out the site. It is not this clinic's privacy "
                "notice and not legal advice.</p>",
                "page": None,
                "link_text": "",
            },
        ),
        heading("What we collect"),
        text(
            "<p>Reading our articles needs no account and we set no advertising cookies. When you subscribe to new "
            "articles we keep your email address and/or mobile number, the topics you chose, the wording you agreed "
            "to and when you agreed to it.</p>",
        ),
        heading("Why we use it"),
        text(
            "<p>Only to send you the messages you asked for: new articles on your topics and, if you are our patient, "
            "reminders about your own appointments. We do not sell your details or share them for marketing.</p>",
        ),
        heading("Who handles it for us"),
        text(
            "<p>Our email and text message providers deliver the messages on our behalf, under agreements that "
            "protect your information. Health information about patients is handled as the law on health privacy "
            "(HIPAA) requires.</p>",
        ),
        heading("How to stop"),
        text(
            "<p>Reply STOP to any text, or use the unsubscribe link in any email. We stop at once and keep only a "
            "record that you asked us to stop, so we never message you again by mistake.</p>",
        ),
        heading("Questions"),
        text(
            "<p>Call us at the number at the foot of this page to ask what we hold about you, or to have it "
            "corrected or deleted.</p>",
        ),
    ],
}
