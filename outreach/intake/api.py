"""The booking-system API: bearer-token authenticated upserts and status reads of consultations."""

from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from outreach.intake.upsert import IntakeRejected, upsert
from outreach.models import ApiToken, ConsentRecord, Consultation


class TokenUser:
    """The identity a valid token stands for (no Django user is involved)."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, token):
        self.token = token


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword or len(header) != 2:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <token>'.")
        token = ApiToken.authenticate(header[1].decode("latin-1"))
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return TokenUser(token), token

    def authenticate_header(self, request):
        return 'Bearer realm="outreach"'


class HasApiToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:  # deeply nested arrays: the client's mistake, not a server error
            raise exceptions.ParseError("JSON parse error - nested too deeply") from None


class OutreachAPIView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasApiToken]
    parser_classes = [SafeJSONParser]


def consultation_representation(consultation):
    messages = consultation.messages.order_by("scheduled_for", "pk")
    return {
        "external_id": consultation.external_id,
        "status": consultation.status,
        "starts_at": consultation.starts_at.isoformat(),
        "topics": sorted(consultation.topics.values_list("slug", flat=True)),
        "messages": [
            {
                "channel": message.channel,
                "status": message.status,
                "scheduled_for": message.scheduled_for.isoformat(),
                "sent_at": message.sent_at.isoformat() if message.sent_at else None,
                "provider_message_id": message.provider_message_id or None,
                "error": (message.error_code or message.skip_reason or message.error_message or None)
                if message.status in ("failed", "skipped", "expired", "cancelled", "bounced")
                else None,
            }
            for message in messages
        ],
    }


class ConsultationUpsertView(OutreachAPIView):
    def post(self, request):
        if not isinstance(request.data, dict):
            return Response({"errors": {"body": ["must be a JSON object"]}}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = upsert(
                request.data, ConsentRecord.Source.API, json_booleans=True, booking_system=request.auth.booking_system
            )
        except IntakeRejected as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK
        body = {"outcome": result.outcome, **consultation_representation(result.consultation)}
        return Response(body, status=code)


class ConsultationDetailView(OutreachAPIView):
    def get(self, request, external_id):
        # PostgreSQL text cannot hold NUL, so no consultation has such an id (and asking would be a server error).
        # A token sees only its own booking system's consultations (another system's id is simply not found).
        mine = Consultation.objects.filter(booking_system=request.auth.booking_system)
        consultation = None if "\x00" in external_id else mine.filter(external_id=external_id).first()
        if consultation is None:
            return Response({"detail": "No consultation with this external_id."}, status=status.HTTP_404_NOT_FOUND)
        return Response(consultation_representation(consultation))
