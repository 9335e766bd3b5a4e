"""The identity rule: which addresses speak for a patient, and what an address from the public form may do.

Anyone can type any address into the public subscribe form, so what the form says about identity is worth nothing:

1. The form never adds an address to an existing contact and never changes one. Each address it posts is handled on
   its own: a contact that already holds that address gets a pending subscription request (only that address
   receives the confirmation, so only its owner can confirm), and an address nobody holds becomes a *subscriber*
   contact (`Contact.Origin.SUBSCRIBE_FORM`) holding that one address and nothing else. A phone and an email typed
   together are never joined into one record: nothing the form says can tie an outsider's address to a patient's.
2. The form's answer and its confirmation messages are the same whoever holds the address (they name no one and
   echo nothing typed), so the form reveals nothing about who is a patient.
3. A subscriber never acts on visits or care messages: C, R and START answer only for patient contacts
   (`acts_for_patient`). A subscriber has no consultations, and its address is never a care channel of a patient.
4. Only the booking system (intake) or staff make a patient. When intake sends an address first seen on the form,
   the subscriber holding it is linked (`link_to_patient`): it becomes the patient record, or is absorbed into the
   patient record intake matched by the other address; its subscriptions, consent history (an opt-out sticks) and
   replies move with the address. Addresses are the booking system's: a subscriber's address that the booking
   system did not send is dropped, never kept as a channel of the patient.
"""

from django.db import IntegrityError, transaction

from outreach.models import ArticleDelivery, Channel, Contact, Subscription

Origin = Contact.Origin


def acts_for_patient(contact):
    """True when texts from this contact may act on visits and care messages (C, R, START): a patient record the
    booking system or staff made. False for an unknown number and for a subscriber from the public form."""
    return contact is not None and contact.origin == Origin.PATIENT


def address_lookup(channel, address):
    # Emails are stored lowercased by every door; staff may have typed capitals in the past, so compare without case.
    return {"phone": address} if channel == Channel.SMS else {"email__iexact": address}


def holder_or_subscriber(channel, address, *, time_zone, language=""):
    """The contact that holds `address` (locked), or a new subscriber contact holding only it (in `language`, the
    language of the form's page; an existing contact keeps its own).

    Two identical form posts racing each other both end here: the insert is ON CONFLICT DO NOTHING on the unique
    address, so the second waits for the first to commit and then finds its row (no IntegrityError, no 500)."""
    lookup = address_lookup(channel, address)
    contact = Contact.objects.select_for_update().filter(**lookup).first()
    if contact is not None:
        return contact
    field = "phone" if channel == Channel.SMS else "email"
    Contact.objects.bulk_create(
        [
            Contact(
                origin=Origin.SUBSCRIBE_FORM, first_name="", time_zone=time_zone, language=language, **{field: address}
            )
        ],
        ignore_conflicts=True,
    )
    return Contact.objects.select_for_update().get(**lookup)


def link_to_patient(contact):
    """Mark a subscriber as a patient record (intake or staff only)."""
    if contact.origin != Origin.PATIENT:
        contact.origin = Origin.PATIENT
        return True
    return False


# Rows unique per contact and something else: the absorbed subscriber's copy is dropped when the patient already has
# one (the same topic followed twice, the same article delivered twice is one fact).
_UNIQUE_WITH_CONTACT = {Subscription: ("topic_id",), ArticleDelivery: ("channel", "page_id")}


@transaction.atomic
def absorb(patient, subscriber):
    """Move everything a subscriber contact owns to the patient record and delete the subscriber. Called by intake
    when the booking system sends, for its patient, the address the subscriber holds."""
    assert subscriber.origin == Origin.SUBSCRIBE_FORM and subscriber.pk != patient.pk
    for model, fields in _UNIQUE_WITH_CONTACT.items():
        held = set(model.objects.filter(contact=patient).values_list(*fields))
        for row in model.objects.filter(contact=subscriber):
            if tuple(getattr(row, name) for name in fields) in held:
                row.delete()
    for relation in Contact._meta.related_objects:
        if not relation.one_to_many:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: subscriber})
        try:
            with transaction.atomic():
                rows.update(**{relation.field.name: patient})
        except IntegrityError:
            # A digest row due at the very same moment on both records: moving row by row keeps the history and
            # drops only the copy that would be the same message twice.
            for row in rows:
                try:
                    with transaction.atomic():
                        type(row)._base_manager.filter(pk=row.pk).update(**{relation.field.name: patient})
                except IntegrityError:
                    row.delete()
    subscriber.delete()
