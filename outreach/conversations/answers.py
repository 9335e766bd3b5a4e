"""What the clinic answers a patient's text, in each language it sends in (outreach/languages.py).

One table, so a language is a column of it and a test checks every answer exists in every language with the same
placeholders (tests/outreach/conversations/test_answers.py). Each answer starts with the clinic's messaging name,
which is what a lock screen shows, and never names a condition or treatment.

Which language: what the patient wrote in Spanish (a Spanish keyword, a crisis read in Spanish) is answered in
Spanish; anything else in the patient's own language, else the clinic's default (keywords.KeywordContext.language).
"""

from string import Formatter

ANSWERS = {
    "call_us": {
        "en": "call {phone}",
        "es": "llame al {phone}",
    },
    "call_the_clinic": {
        "en": "call the clinic",
        "es": "llame a la clínica",
    },
    "texts": {"en": "texts", "es": "mensajes de texto"},
    "emails": {"en": "emails", "es": "correos electrónicos"},
    "opted_out": {
        "en": "{name}: You're unsubscribed and will get no more {what} from us. Reply START to resubscribe. "
        "To change or cancel a visit: {call_us}.",
        "es": "{name}: Se dio de baja y no recibirá más {what} de nuestra parte. Responda COMENZAR para volver a "
        "suscribirse. Para cambiar o cancelar una visita: {call_us}.",
    },
    "address_opted_in": {
        "en": "{name}: You can get texts from us again. Reply HELP for help, STOP to opt out.",
        "es": "{name}: Puede volver a recibir nuestros mensajes. Responda AYUDA para obtener ayuda, PARAR para no "
        "recibir más.",
    },
    "opted_in": {
        "en": "{name}: You're subscribed again to visit reminders by text. Msg & data rates may apply. "
        "Reply HELP for help, STOP to opt out.",
        "es": "{name}: Está suscrito de nuevo a los recordatorios de visitas por mensaje de texto. Pueden aplicarse "
        "tarifas de mensajes y datos. Responda AYUDA para obtener ayuda, PARAR para no recibir más.",
    },
    "help": {
        "en": "{name}: visit reminders and care messages. For help, {call_us}. Reply STOP to opt out. "
        "Msg & data rates may apply.",
        "es": "{name}: recordatorios de visitas y mensajes de su atención. Para obtener ayuda, {call_us}. Responda "
        "PARAR para no recibir más. Pueden aplicarse tarifas de mensajes y datos.",
    },
    "no_visit": {
        "en": "{name}: We couldn't find an upcoming visit for this number. Please {call_us}.",
        "es": "{name}: No encontramos una próxima visita para este número. Por favor, {call_us}.",
    },
    "confirmed": {
        "en": "{name}: Thank you, your visit on {date} at {time} is confirmed. To reschedule reply R or {call_us}.",
        "es": "{name}: Gracias, su visita del {date}, {time}, está confirmada. Para cambiarla responda CAMBIAR o "
        "{call_us}.",
    },
    "reschedule_requested": {
        "en": "{name}: Thanks, we've told our team you'd like to move your visit on {date} at {time}. We'll contact "
        "you to find a new time, or {call_us}.",
        "es": "{name}: Gracias, avisamos a nuestro equipo que desea cambiar su visita del {date}, {time}. Le "
        "llamaremos para buscar otra hora, o {call_us}.",
    },
    "subscribed_by_text": {
        "en": "{name}: Thank you, you will get our occasional articles by text. Reply STOP to opt out.",
        "es": "{name}: Gracias, recibirá nuestros artículos de vez en cuando por mensaje de texto. Responda PARAR "
        "para no recibir más.",
    },
    # The double opt-in of a topic subscription by text, and its email's subject (outreach.followups.confirmations).
    "subscription_confirmation": {
        "en": "{name}: reply YES to confirm you would like our occasional patient-education texts. Reply STOP to opt "
        "out. {phone}",
        "es": "{name}: responda SI para confirmar que desea recibir nuestros mensajes educativos ocasionales. "
        "Responda PARAR para no recibir mensajes. {phone}",
    },
    "subscription_confirmation_subject": {
        "en": "Please confirm your subscription to {name}",
        "es": "Confirme su suscripción a {name}",
    },
    # 988 answers in Spanish: press 2 on a call, or text AYUDA (988lifeline.org/es).
    "crisis": {
        "en": "{name}: We're glad you reached out. If you might act on thoughts of harming yourself, call or text 988 "
        "(Suicide & Crisis Lifeline) now, any time; veterans press 1. If you are in immediate danger, call 911. "
        "Our team has been alerted and will contact you{or_call_us}.",
        "es": "{name}: Gracias por escribirnos. Si podría actuar según pensamientos de hacerse daño, marque o envíe "
        "un mensaje de texto al 988 (Línea de Prevención del Suicidio y Crisis) ahora, a cualquier hora; al "
        "llamar marque 2 para español, por texto escriba AYUDA. Si está en peligro inmediato, llame al 911. "
        "Nuestro equipo ya fue avisado y se comunicará con usted{or_call_us}.",
    },
    "crisis_or_call_us": {
        "en": " or call us at {phone}",
        "es": ", o llámenos al {phone}",
    },
}


def answer(key, language, **values):
    """The answer `key` in `language` (English when the table has no such language), filled with `values`."""
    texts = ANSWERS[key]
    return texts.get(language, texts["en"]).format(**values)


def placeholders(text):
    return {field for _, field, _, _ in Formatter().parse(text) if field}


def call_us(phone, language):
    return answer("call_us", language, phone=phone) if phone else answer("call_the_clinic", language)


def crisis(name, phone, language):
    or_call_us = answer("crisis_or_call_us", language, phone=phone) if phone else ""
    return answer("crisis", language, name=name, or_call_us=or_call_us)
