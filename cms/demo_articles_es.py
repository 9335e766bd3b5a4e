"""Spanish words of the demo content (cms/demo.py makes them translations of the English pages).

Demo translations written for this project, not by a professional medical translator: each Spanish article opens
with a notice saying so, and the pages carry ``is_demo`` like their English sources. Keyed by the English slug.
The references stay as published (English-language sources).
"""

from cms.demo_articles import NCI_PAIN, faq, figure, heading, text

DEMO_NOTICE = (
    "callout",
    {
        "tone": "info",
        "title": "Traducción de demostración",
        "text": "<p>Este texto es una traducción de demostración del artículo en inglés, hecha para probar el sitio. "
        "Un profesional debe revisarla antes de usarla con pacientes.</p>",
        "page": None,
        "link_text": "",
    },
)


def referencias(*items):
    return ("references", {"heading": "Referencias", "citations": [dict(item) for item in items]})


def equipo(html, page=None, link_text=""):
    return (
        "callout",
        {
            "tone": "care_team",
            "title": "Hable con su equipo médico",
            "text": html,
            "page": page,
            "link_text": link_text,
        },
    )


TOPICS_ES = {
    "pain-management": ("Manejo del dolor", "El dolor agudo y crónico, y los tratamientos que lo alivian."),
    "cancer-care": ("Atención del cáncer", "Vivir con cáncer y los efectos secundarios de su tratamiento."),
    "depression": ("Depresión", "La depresión, incluida la que no ha respondido a otros tratamientos."),
    "ptsd": ("TEPT", "El trastorno de estrés postraumático y cómo se trata."),
    "side-effects": ("Efectos secundarios", "Qué esperar durante y después del tratamiento, y qué ayuda."),
    "treatment-basics": (
        "Conceptos básicos",
        "Cómo funciona el tratamiento con ketamina, de la consulta al seguimiento.",
    ),
}

CLINIC_DISCLAIMER_ES = (
    "Este artículo es información general, no consejo médico. Hable con su propio equipo médico sobre su salud y "
    "antes de empezar o cambiar cualquier tratamiento. En una emergencia llame al 911; en una crisis de salud mental "
    "llame o envíe un mensaje de texto al 988 (atención en español disponible)."
)

HOME_ES = {
    "title": "Ketamine Center of Connecticut",
    "slug": "inicio",
    "intro": "<p>Terapia de infusión de ketamina para el dolor crónico y el dolor por cáncer, la depresión y el TEPT, "
    "en Milford, CT. Este es contenido de demostración.</p>",
}

INDEX_ES = {
    "title": "Educación para pacientes",
    "slug": "articulos",
    "intro": "Artículos en lenguaje sencillo sobre el tratamiento con ketamina, escritos por nuestro equipo y "
    "revisados por profesionales médicos.",
}

SERVICES_ES = {
    "ketamine-for-chronic-and-cancer-pain": {
        "slug": "ketamina-para-el-dolor-cronico-y-por-cancer",
        "title": "Infusión de ketamina para el dolor crónico y por cáncer",
        "conditions": "Dolor crónico, dolor relacionado con el cáncer",
        "summary": "Infusiones de ketamina en dosis bajas, bajo supervisión médica, como una parte de un plan para el "
        "dolor.",
        "body": [
            heading("A quién puede ayudar"),
            text(
                "<p>Algunas personas viven con un dolor difícil de controlar incluso con los medicamentos habituales. "
                "La ketamina en dosis bajas se usa y se estudia para algunas de estas situaciones, junto con el resto "
                "de su atención para el dolor.</p>"
            ),
            faq(
                "¿Seguiré tomando mis otros medicamentos para el dolor?",
                "<p>Por lo general, sí. Cualquier cambio en sus medicamentos se decide con los profesionales que "
                "se los recetan.</p>",
            ),
        ],
    },
    "ketamine-for-depression": {
        "slug": "ketamina-para-la-depresion",
        "title": "Infusión de ketamina para la depresión",
        "conditions": "Depresión, incluida la depresión resistente al tratamiento",
        "summary": "Infusiones de ketamina supervisadas para adultos cuya depresión no ha mejorado lo suficiente con "
        "otros tratamientos.",
        "body": [
            heading("¿Es adecuado para mí?"),
            text(
                "<p>En una consulta revisamos sus antecedentes, su tratamiento actual y su seguridad antes de decidir "
                "nada. La ketamina no es adecuada para todas las personas.</p>"
            ),
            faq(
                "¿Cuántas infusiones son?",
                "<p>Los planes varían. Muchos empiezan con una serie corta de infusiones y una revisión de cómo "
                "respondió.</p>",
            ),
        ],
    },
    "ketamine-for-ptsd": {
        "slug": "ketamina-para-el-tept",
        "title": "Infusión de ketamina para el TEPT",
        "conditions": "Trastorno de estrés postraumático",
        "summary": "La ketamina como posible complemento de la atención centrada en el trauma, en un entorno tranquilo "
        "y supervisado.",
        "body": [
            heading("Parte de un plan más amplio"),
            text(
                "<p>La investigación sobre la ketamina para el TEPT todavía está en desarrollo. La vemos como algo que "
                "puede acompañar a la terapia, no reemplazarla.</p>"
            ),
            faq(
                "¿Necesito una remisión?",
                "<p>Puede comunicarse con nosotros directamente; le pediremos trabajar con su equipo médico "
                "actual.</p>",
            ),
        ],
    },
}

ARTICLES_ES = {
    "what-to-know-about-ketamine-and-cancer-pain-management": {
        "slug": "ketamina-y-el-manejo-del-dolor-por-cancer",
        "title": "Lo que debe saber sobre la ketamina y el manejo del dolor por cáncer",
        "summary": (
            "La ketamina, en dosis bajas y bajo supervisión médica, es una opción que se usa y se estudia para el "
            "dolor relacionado con el cáncer. Aquí explicamos qué es, cómo puede ayudar y qué efectos secundarios "
            "conviene conocer."
        ),
        "seo_title": "Ketamina y dolor por cáncer: lo que los pacientes deben saber",
        "seo_description": "Cómo la ketamina en dosis bajas puede aliviar el dolor por cáncer, sus efectos "
        "secundarios y qué preguntar.",
        "body": [
            DEMO_NOTICE,
            text(
                "<p>El dolor es una de las cosas que más preocupan a las personas con cáncer. Puede venir del propio "
                "tumor o del tratamiento, como la cirugía, la quimioterapia o la radiación, y puede durar poco "
                "(agudo) o durante meses (crónico). Cuando los medicamentos habituales para el dolor no bastan, "
                "algunos equipos médicos consideran la ketamina.</p>"
            ),
            heading("¿Qué es la ketamina?"),
            text(
                "<p>La ketamina es un anestésico disociativo: en las dosis que se usan en cirugía produce un estado "
                "parecido al trance y bloquea el dolor. Se usa en los hospitales desde hace décadas y solo se "
                "administra bajo supervisión médica. En dosis mucho más bajas se ha estudiado para otras afecciones, "
                "como la depresión y el trastorno de estrés postraumático (TEPT).</p>"
            ),
            heading("¿Puede la ketamina ayudar con el dolor relacionado con el cáncer?"),
            text(
                "<p>Puede, en algunas personas. En infusiones intravenosas (IV) de dosis bajas, la ketamina bloquea "
                "los receptores NMDA del sistema nervioso, que participan en transmitir y amplificar las señales de "
                "dolor. También actúa sobre los receptores opioides. Juntos, estos efectos pueden reducir el dolor "
                "y ayudar cuando el dolor se ha vuelto más difícil de tratar solo con opioides.</p>"
                "<p>La ketamina no reemplaza el resto de su atención. Puede complementar los medicamentos para el "
                "dolor, los tratamientos dirigidos al cáncer y los cuidados de apoyo. Los estudios hasta ahora son "
                "prometedores pero dispares, y hace falta más investigación para saber quién se beneficia más, con qué "
                "dosis y durante cuánto tiempo.</p>"
            ),
            figure(
                "Demo figure: how a pain signal travels",
                "Ilustración abstracta de señales que recorren una línea ramificada",
                31,
                "Las señales de dolor pasan por receptores que la ketamina puede bloquear.",
            ),
            heading("¿Cuáles son los efectos secundarios?"),
            text(
                "<p>Los efectos secundarios suelen durar poco y se vigilan durante la infusión. Pueden incluir:</p>"
                "<ul><li>alucinaciones o sueños muy vívidos</li><li>paranoia o sensación de estar desconectado de su "
                "entorno</li><li>mareos</li><li>problemas de memoria o de concentración</li><li>aumento de la presión "
                "arterial</li></ul>"
                "<p>Algunos se pueden aliviar con otros medicamentos, por ejemplo una dosis baja de una "
                "benzodiacepina. Los efectos a largo plazo del tratamiento repetido con ketamina todavía no se conocen "
                "bien, y esa es una de las razones por las que el tratamiento se planifica y se revisa con cuidado.</p>"
            ),
            faq(
                "¿La ketamina crea adicción?",
                "<p>La ketamina puede usarse de forma indebida. Administrada en dosis bajas en una clínica, con "
                "vigilancia y un plan, su equipo médico controla ese riesgo y le preguntará por sus antecedentes antes "
                "del tratamiento.</p>",
            ),
            equipo(
                "<p>Si el dolor por cáncer está afectando su vida, pregunte a su equipo médico si la ketamina podría "
                "ser parte de su plan, y pida una consulta con nosotros para hablarlo.</p>",
                page="ketamine-for-chronic-and-cancer-pain",
                link_text="Sobre la ketamina para el dolor crónico y por cáncer",
            ),
            referencias(NCI_PAIN),
        ],
    },
    "preparing-for-your-first-ketamine-infusion": {
        "slug": "como-prepararse-para-su-primera-infusion-de-ketamina",
        "title": "Cómo prepararse para su primera infusión de ketamina",
        "summary": "Qué pasa antes, durante y después de la primera infusión, y cómo organizar su día.",
        "seo_title": "Su primera infusión de ketamina: cómo prepararse",
        "seo_description": "Una guía práctica para el día de su primera infusión de ketamina.",
        "body": [
            DEMO_NOTICE,
            heading("Antes del día"),
            text(
                "<p>Primero tendrá una consulta. Traiga una lista de sus medicamentos y cuéntenos si tiene problemas "
                "del corazón, de presión arterial o de salud mental. Le diremos cuándo dejar de comer y beber "
                "antes.</p>"
            ),
            heading("Durante la infusión"),
            text(
                "<p>Una enfermera le coloca una pequeña vía IV y se queda con usted. La infusión suele durar menos de "
                "una hora. Muchas personas se sienten ligeras, como en un sueño o desconectadas; estas sensaciones "
                "desaparecen cuando termina la infusión.</p>"
            ),
            figure(
                "Demo figure: a quiet infusion room", "Degradado suave y abstracto que sugiere una sala tranquila", 32
            ),
            faq(
                "¿Puedo manejar de regreso a casa?",
                "<p>No. Pida a alguien que lo lleve a casa y no maneje hasta el día siguiente.</p>",
            ),
            equipo("<p>¿No sabe si tomar sus medicamentos habituales esa mañana? Pregúntenos antes del día.</p>"),
            (
                "quote",
                {
                    "text": "Saber qué esperar hizo la primera visita mucho más fácil.",
                    "attribution": "Paciente de demostración",
                },
            ),
            referencias(NCI_PAIN),
        ],
    },
    "managing-side-effects-after-a-ketamine-infusion": {
        "slug": "como-manejar-los-efectos-secundarios-despues-de-una-infusion-de-ketamina",
        "title": "Cómo manejar los efectos secundarios después de una infusión de ketamina",
        "summary": "Efectos comunes y pasajeros después de una infusión, qué ayuda y cuándo llamarnos.",
        "seo_title": "Después de una infusión de ketamina: cómo manejar los efectos secundarios",
        "seo_description": "Náuseas, mareos y cansancio después de la ketamina: qué ayuda y cuándo pedir ayuda.",
        "body": [
            DEMO_NOTICE,
            heading("En las primeras horas"),
            text(
                "<p>El cansancio, las náuseas leves, los mareos y sentirse un poco desconectado son comunes y suelen "
                "pasar el mismo día. Descanse, beba agua y coma algo ligero.</p>"
            ),
            figure("Demo figure: rest and recovery", "Olas tranquilas y abstractas sobre un degradado coral", 35),
            faq(
                "¿Cuándo debo llamar?",
                "<p>Llámenos si tiene dolor en el pecho, un dolor de cabeza fuerte, confusión que no mejora o "
                "cualquier cosa que le preocupe. En una emergencia llame al 911.</p>",
            ),
            equipo(
                "<p>Cuéntenos cualquier efecto secundario en su próxima visita; muchas veces podemos ajustar el "
                "plan.</p>"
            ),
            referencias(NCI_PAIN),
        ],
    },
}
