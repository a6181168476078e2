//! The closed vocabularies of the event contract: event types, channels, message variants and
//! journey stages, each with its wire name.
//!
//! What it is for: one place that maps wire strings to compact `#[repr(u8)]` enums (used as
//! array indices in lead state) and back.
//! What it is not: validation of whole events (see `decode`).

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order (the order of `as u8`).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// How many values there are.
            pub const COUNT: usize = Self::ALL.len();

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire ),+
                }
            }

            /// Parses a wire name (exact, case-sensitive); `None` if unknown.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// The value's position in [`ALL`](Self::ALL), for array indexing.
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// The `type` of an event.
    EventType {
        /// `lead_created`
        LeadCreated = "lead_created",
        /// `email_sent`
        EmailSent = "email_sent",
        /// `email_opened`
        EmailOpened = "email_opened",
        /// `email_clicked`
        EmailClicked = "email_clicked",
        /// `email_replied`
        EmailReplied = "email_replied",
        /// `email_bounced`
        EmailBounced = "email_bounced",
        /// `sms_sent`
        SmsSent = "sms_sent",
        /// `sms_replied`
        SmsReplied = "sms_replied",
        /// `call_completed`
        CallCompleted = "call_completed",
        /// `voicemail`
        Voicemail = "voicemail",
        /// `web_visit`
        WebVisit = "web_visit",
        /// `video_sent`
        VideoSent = "video_sent",
        /// `video_viewed`
        VideoViewed = "video_viewed",
        /// `appointment_booked`
        AppointmentBooked = "appointment_booked",
        /// `appointment_missed`
        AppointmentMissed = "appointment_missed",
        /// `appointment_attended`
        AppointmentAttended = "appointment_attended",
        /// `offer_made`
        OfferMade = "offer_made",
        /// `deal_won`
        DealWon = "deal_won",
        /// `deal_lost`
        DealLost = "deal_lost",
        /// `unsubscribed`
        Unsubscribed = "unsubscribed",
        /// `opted_out`
        OptedOut = "opted_out",
        /// `stage_changed`
        StageChanged = "stage_changed",
        /// `market_update`
        MarketUpdate = "market_update",
    }
}

wire_enum! {
    /// A contact channel.
    Channel {
        /// Email.
        Email = "email",
        /// SMS / text message.
        Sms = "sms",
        /// Phone call (including voicemail).
        Call = "call",
        /// Web (site and listing visits).
        Web = "web",
        /// Video messages.
        Video = "video",
    }
}

wire_enum! {
    /// The tone variant of an outbound message.
    MessageVariant {
        /// Soft, low-pressure.
        Conservative = "conservative",
        /// Neutral and businesslike.
        Professional = "professional",
        /// Direct, urgency-driven.
        Aggressive = "aggressive",
    }
}

wire_enum! {
    /// The five journey stages, from first interest to ready to buy.
    JourneyStage {
        /// First interest: browsing, no commitment.
        Exploring = "exploring",
        /// Responding and asking questions.
        Engaged = "engaged",
        /// Actively searching: viewings, appointments.
        Active = "active",
        /// Making or negotiating offers.
        Negotiating = "negotiating",
        /// Financing ready, decided: ready to buy.
        ReadyToBuy = "ready_to_buy",
    }
}

impl JourneyStage {
    /// The stage from its index in [`ALL`](Self::ALL), clamped to the last stage.
    pub fn from_index(i: usize) -> Self {
        Self::ALL[i.min(Self::COUNT - 1)]
    }
}

impl EventType {
    /// The channel this type always happens on, if any (email types on email, and so on).
    pub const fn implied_channel(self) -> Option<Channel> {
        match self {
            Self::EmailSent
            | Self::EmailOpened
            | Self::EmailClicked
            | Self::EmailReplied
            | Self::EmailBounced => Some(Channel::Email),
            Self::SmsSent | Self::SmsReplied => Some(Channel::Sms),
            Self::CallCompleted | Self::Voicemail => Some(Channel::Call),
            Self::WebVisit => Some(Channel::Web),
            Self::VideoSent | Self::VideoViewed => Some(Channel::Video),
            _ => None,
        }
    }

    /// Whether the event is an action by the lead (a response), as opposed to an agent touch,
    /// an outcome recorded by the agent or a market update.
    pub const fn is_lead_response(self) -> bool {
        matches!(
            self,
            Self::EmailOpened
                | Self::EmailClicked
                | Self::EmailReplied
                | Self::SmsReplied
                | Self::CallCompleted
                | Self::WebVisit
                | Self::VideoViewed
                | Self::AppointmentBooked
                | Self::AppointmentAttended
                | Self::OfferMade
        )
    }

    /// Whether the event is an outbound touch by the agent.
    pub const fn is_outbound(self) -> bool {
        matches!(
            self,
            Self::EmailSent | Self::SmsSent | Self::VideoSent | Self::Voicemail
        )
    }
}
