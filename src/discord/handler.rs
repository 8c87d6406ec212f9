//! Gateway events in, Discord messages out. The handler routes: an event is read into a
//! command or a question (`commands`), the desk answers, `delivery` decides whether and
//! how to speak, `render` builds the message; the handler carries the effects out (the
//! network, the blocking pool, cooldowns, metrics) and logs them.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serenity::all::{
    ChannelId, Command, CommandInteraction, ComponentInteraction, ConnectionStage, Context,
    CreateAutocompleteResponse, CreateInteractionResponse, EventHandler, GuildId, Http,
    Interaction, Message, Ready, ResumedEvent, ShardStageUpdateEvent, UserId,
};
use serenity::async_trait;
use tokio::sync::Semaphore;
use tracing::{debug, error, info, warn};

use super::commands::{self, mention, CommandContext, CommandError, Effect};
use super::delivery::{self, Delivery, Situation, Way};
use super::metrics::Metrics;
use super::render::{self, Reply};
use crate::answer::{Answer, AnswerStatus};
use crate::config::Config;
use crate::cooldown::Cooldowns;
use crate::knowledge::Problems;
use crate::language::Language;
use crate::store::{Store, StoreError};
use crate::unanswered::{UnansweredLog, UnansweredSummary};
use crate::FactDesk;

/// How long an `/ask` answer may take before the interaction is acknowledged and the
/// answer sent as an edit: well inside Discord's 3 seconds, with room for the network.
const ANSWER_BEFORE_DEFERRING: Duration = Duration::from_millis(1_500);

/// Misses waiting for the log writer. The writer appends one line in microseconds; a
/// queue this long fills only if the disk stalls, and then misses are dropped and
/// counted rather than held in memory or waited for.
const UNANSWERED_QUEUE: usize = 1024;
/// Events handled at once. A burst of interactions otherwise opens one HTTP connection
/// per event and buffers them all; beyond this, events wait their turn and memory stays
/// flat. Answering takes microseconds, so the bound is on Discord's round trips: at the
/// 50-150 ms they take in production, 32 allows roughly 200-600 answers a second per
/// process (on loopback, 8 gave the same burst rate with ~30 MB peak instead of ~35 MB).
const MAX_IN_FLIGHT: usize = 32;

/// The bot's state, shared by every event.
pub struct Bot {
    desk: RwLock<Arc<FactDesk>>,
    config: Config,
    user_cooldowns: Mutex<Cooldowns<UserId>>,
    channel_cooldowns: Mutex<Cooldowns<ChannelId>>,
    unanswered: Arc<UnansweredLog>,
    /// Misses go to one writer thread, so a burst of misses costs one thread, not one each.
    unanswered_writer: std::sync::mpsc::SyncSender<Answer>,
    /// The bot's own user, to recognise mentions of it.
    bot_user: UserId,
    commands_registered: AtomicBool,
    in_flight: Semaphore,
    /// What `/metrics` and `/healthz` report.
    metrics: Arc<Metrics>,
    /// Followed channels and what was announced where.
    store: Store,
    /// The REST client, once the gateway client exists: announcements after a SIGHUP
    /// reload have no event to take it from.
    http: OnceLock<Arc<Http>>,
}

/// What a reload did.
#[derive(Debug)]
pub enum Reloaded {
    /// The new answer files are served: this many topics.
    Topics(usize),
    /// They failed the check; the previous ones are still served.
    FailedCheck(Problems),
    /// Loading panicked (a bug); the previous ones are still served.
    Crashed,
}

impl Bot {
    /// The bot over a loaded desk, appending misses to an opened log.
    pub fn new(
        config: Config,
        desk: FactDesk,
        bot_user: UserId,
        unanswered: UnansweredLog,
        metrics: Arc<Metrics>,
        store: Store,
    ) -> Bot {
        let unanswered = Arc::new(unanswered);
        let unanswered_writer = spawn_unanswered_writer(Arc::clone(&unanswered));
        Bot {
            desk: RwLock::new(Arc::new(desk)),
            user_cooldowns: Mutex::new(Cooldowns::new(config.user_cooldown)),
            channel_cooldowns: Mutex::new(Cooldowns::new(config.channel_cooldown)),
            unanswered,
            unanswered_writer,
            config,
            bot_user,
            commands_registered: AtomicBool::new(false),
            in_flight: Semaphore::new(MAX_IN_FLIGHT),
            metrics,
            store,
            http: OnceLock::new(),
        }
    }

    /// Gives the bot the REST client it announces new sources with.
    pub fn set_http(&self, http: Arc<Http>) {
        let _ = self.http.set(http);
    }

    /// The current desk; a reload swaps it while answers in flight keep the old one.
    fn desk(&self) -> Arc<FactDesk> {
        Arc::clone(&self.desk.read().unwrap_or_else(PoisonError::into_inner))
    }

    async fn register_commands(&self, ctx: &Context) {
        if self.commands_registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let registrations = commands::registrations();
        let result = match self.config.guild_id {
            Some(guild_id) => guild_id.set_commands(&ctx.http, registrations).await,
            None => Command::set_global_commands(&ctx.http, registrations).await,
        };
        match result {
            Ok(registered) => {
                info!(count = registered.len(), guild = ?self.config.guild_id, "registered commands")
            }
            Err(why) => {
                self.commands_registered.store(false, Ordering::SeqCst);
                error!(error = %why, "could not register commands; will retry on the next READY");
            }
        }
    }

    /// Routes a command: `commands::run` reads and runs it (refusing non-moderators), and
    /// its effect is carried out here.
    async fn on_interaction(&self, ctx: &Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => self.on_command(ctx, &command).await,
            Interaction::Autocomplete(autocomplete) => {
                self.on_autocomplete(ctx, &autocomplete).await
            }
            Interaction::Component(component) => self.on_component(ctx, &component).await,
            other => debug!(kind = ?other.kind(), "ignored interaction"),
        }
    }

    async fn on_command(&self, ctx: &Context, interaction: &CommandInteraction) {
        let started = Instant::now();
        let desk = self.desk();
        let context = CommandContext { desk: &desk };
        let effect = match commands::run(interaction, &context) {
            Ok(effect) => effect,
            Err(why) => {
                match &why {
                    CommandError::ModeratorsOnly(name) => {
                        info!(command = name, user = %interaction.user.id, "refused: not a moderator")
                    }
                    _ => {
                        warn!(command = %interaction.data.name, error = %why, "unreadable command")
                    }
                }
                self.respond(ctx, interaction, render::notice(&why.to_string()))
                    .await;
                return;
            }
        };
        match effect {
            Effect::Reply(reply) => {
                self.respond(ctx, interaction, reply).await;
                info!(
                    command = interaction.data.name.as_str(),
                    latency_ms = elapsed_ms(started),
                    "answered command"
                );
            }
            Effect::Answer { question, way } => {
                self.answer_interaction(ctx, interaction, &desk, &question, way, started)
                    .await
            }
            Effect::Post {
                channel,
                message,
                note,
            } => {
                self.defer(ctx, interaction).await;
                let message = render::into_channel_message(message);
                let posted = match channel.send_message(&ctx.http, message).await {
                    Ok(_) => {
                        info!(channel = %channel, user = %interaction.user.id, command = %interaction.data.name, "posted");
                        true
                    }
                    Err(why) => {
                        warn!(channel = %channel, error = %why, command = %interaction.data.name, "could not post");
                        false
                    }
                };
                self.edit(ctx, interaction, render::notice(&note(channel, posted)))
                    .await;
            }
            Effect::Reload { note } => {
                self.defer(ctx, interaction).await;
                let reloaded = self.reload_answers().await;
                self.edit(ctx, interaction, render::notice(&note(&reloaded)))
                    .await;
            }
            Effect::Follow {
                channel,
                follow,
                note,
            } => {
                let text = match interaction.guild_id {
                    None => "Channels follow the story in a server, not in DMs.".to_string(),
                    Some(guild) => match self.set_following(guild, channel, follow, &desk).await {
                        Ok(changed) => {
                            info!(channel = %channel, user = %interaction.user.id, follow, changed, "follow");
                            note(channel, changed)
                        }
                        Err(why) => {
                            warn!(channel = %channel, error = %why, "the store failed");
                            "I couldn't save that: the bot's database failed (the owner sees why in the log)."
                                .to_string()
                        }
                    },
                };
                self.respond(ctx, interaction, render::notice(&text)).await;
            }
            Effect::ReadUnanswered { note } => {
                self.defer(ctx, interaction).await;
                let text = match self.read_unanswered().await {
                    Some(read) => note(&read),
                    None => INTERNAL_ERROR.to_string(),
                };
                self.edit(ctx, interaction, render::notice(&text)).await;
            }
        }
    }

    async fn answer_interaction(
        &self,
        ctx: &Context,
        interaction: &CommandInteraction,
        desk: &Arc<FactDesk>,
        question: &str,
        via: Way,
        started: Instant,
    ) {
        // The user's Discord language, where the bot speaks it; else the question's own.
        let language = Language::from_locale(&interaction.locale);
        // Discord drops a first response after 3 seconds ("This interaction failed"): an
        // answer still queued behind others after ANSWER_BEFORE_DEFERRING is acknowledged
        // first, privately (whether the reply may be public depends on the answer), and
        // then written into that acknowledgement.
        let answering = answer_off_the_gateway(desk, question, language);
        tokio::pin!(answering);
        let mut deferred = false;
        let answer = tokio::select! {
            answer = &mut answering => answer,
            () = tokio::time::sleep_until(tokio::time::Instant::from_std(started + ANSWER_BEFORE_DEFERRING)) => {
                self.defer(ctx, interaction).await;
                deferred = true;
                info!(command = interaction.data.name.as_str(), "deferred a slow answer");
                answering.await
            }
        };
        let Some(answer) = answer else {
            self.respond_or_edit(ctx, interaction, render::notice(INTERNAL_ERROR), deferred)
                .await;
            return;
        };
        let (user_wait, channel_wait) =
            self.cooldown_waits(interaction.user.id, interaction.channel_id);
        let situation = Situation {
            way: via,
            answered: answer.status == AnswerStatus::Answered,
            empty: question.trim().is_empty(),
            user_wait,
            channel_wait,
        };
        if !situation.held_back() {
            self.record_unanswered(&answer);
        }
        match delivery::decide(&situation) {
            Delivery::Quiet => {}
            Delivery::Refuse { wait } => {
                let text = format!(
                    "You're asking quickly: try again in {} s.",
                    wait.as_secs().max(1)
                );
                self.respond_or_edit(ctx, interaction, render::notice(&text), deferred)
                    .await;
                info!(?via, user = %interaction.user.id, "cooldown");
            }
            Delivery::Reply { private } => {
                self.take_cooldowns(
                    interaction.user.id,
                    (!private).then_some(interaction.channel_id),
                );
                let reply = Reply {
                    ephemeral: private,
                    ..render::answer(&answer, &desk.knowledge_base().story)
                };
                self.respond_or_edit(ctx, interaction, reply, deferred)
                    .await;
                self.log_answer(&answer, via, started);
            }
        }
    }

    /// Re-reads and re-checks the answer files (for `/reload` and SIGHUP) and serves
    /// them from now on; a failing check keeps the answers being served and logs every
    /// problem. Answers in flight finish with the desk they started with.
    pub async fn reload_answers(&self) -> Reloaded {
        let responses_dir = self.config.responses_dir.clone();
        let loaded =
            tokio::task::spawn_blocking(move || FactDesk::load_checked(&responses_dir)).await;
        match loaded {
            Ok(Ok(desk)) => {
                let topics = desk.topics().len();
                let desk = Arc::new(desk);
                *self.desk.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&desk);
                info!(topics, "reloaded answer files");
                self.metrics.reloaded(true);
                self.announce_new_sources(&desk).await;
                Reloaded::Topics(topics)
            }
            Ok(Err(problems)) => {
                warn!(
                    problems = problems.0.len(),
                    "reload failed the check; keeping the previous answers"
                );
                for problem in &problems.0 {
                    warn!(%problem, "answer file problem");
                }
                self.metrics.reloaded(false);
                Reloaded::FailedCheck(problems)
            }
            Err(why) => {
                error!(error = %why, "reload task failed");
                self.metrics.reloaded(false);
                Reloaded::Crashed
            }
        }
    }

    /// Makes a channel follow the story in a server, or stop; whether anything changed. A
    /// channel that starts following has seen every source so far: only later ones are
    /// posted there.
    async fn set_following(
        &self,
        guild: GuildId,
        channel: ChannelId,
        follow: bool,
        desk: &FactDesk,
    ) -> Result<bool, StoreError> {
        if !follow {
            return self.store.unfollow(guild.get(), channel.get()).await;
        }
        let changed = self.store.follow(guild.get(), channel.get()).await?;
        for source in &desk.knowledge_base().sources {
            self.store.mark_announced(channel.get(), &source.id).await?;
        }
        Ok(changed)
    }

    /// Posts every source a following channel has not seen yet into it. Each post is tried
    /// once: a channel that is gone or refuses the bot is logged and counted, never retried
    /// in a loop, and never keeps the others from their post.
    async fn announce_new_sources(&self, desk: &FactDesk) {
        let Some(http) = self.http.get() else {
            return;
        };
        let followers = match self.store.followers().await {
            Ok(followers) => followers,
            Err(why) => {
                warn!(error = %why, "cannot read the followed channels; no announcements");
                return;
            }
        };
        let knowledge_base = desk.knowledge_base();
        // With several processes sharing one database, each posts only for the servers
        // whose shard it runs (Discord's rule: shard = (guild_id >> 22) % total), so a
        // channel never gets the same post twice.
        let ours = |guild_id: u64| match &self.config.shards {
            Some(shards) => u32::try_from((guild_id >> 22) % u64::from(shards.total.max(1)))
                .is_ok_and(|shard| shards.range.contains(&shard)),
            None => true,
        };
        for follower in followers
            .into_iter()
            .filter(|follower| ours(follower.guild_id))
        {
            // Snowflakes are never 0; a corrupt row must not panic the bot.
            let Some(channel) = std::num::NonZeroU64::new(follower.channel_id).map(ChannelId::from)
            else {
                continue;
            };
            for source in &knowledge_base.sources {
                match self.store.announced(follower.channel_id, &source.id).await {
                    Ok(false) => {}
                    Ok(true) => continue,
                    Err(why) => {
                        warn!(channel = %channel, error = %why, "cannot read the announcements");
                        continue;
                    }
                }
                let message = render::into_channel_message(render::new_source(
                    source,
                    &knowledge_base.unique_claims(|_, claim| claim.source == source.id),
                    &knowledge_base.story,
                ));
                match channel.send_message(http, message).await {
                    Ok(_) => {
                        info!(channel = %channel, source = %source.id, "announced a new source");
                        self.metrics.announced(true);
                    }
                    Err(why) => {
                        warn!(channel = %channel, source = %source.id, error = %why, "could not announce a new source");
                        self.metrics.announced(false);
                    }
                }
                if let Err(why) = self
                    .store
                    .mark_announced(follower.channel_id, &source.id)
                    .await
                {
                    warn!(channel = %channel, error = %why, "cannot record the announcement");
                }
            }
        }
    }

    /// Reads the unanswered log on the blocking pool; `None` only if reading panicked
    /// (logged).
    async fn read_unanswered(&self) -> Option<io::Result<UnansweredSummary>> {
        let log = Arc::clone(&self.unanswered);
        match tokio::task::spawn_blocking(move || log.summarize()).await {
            Ok(read) => {
                if let Err(why) = &read {
                    warn!(error = %why, "could not read the unanswered log");
                }
                Some(read)
            }
            Err(why) => {
                error!(error = %why, "unanswered task failed");
                None
            }
        }
    }

    async fn on_autocomplete(&self, ctx: &Context, interaction: &CommandInteraction) {
        let desk = self.desk();
        let context = CommandContext { desk: &desk };
        let choices = commands::autocomplete(interaction, &context)
            .into_iter()
            .fold(
                CreateAutocompleteResponse::new(),
                |response, (label, value)| response.add_string_choice(label, value),
            );
        if let Err(why) = interaction
            .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(choices))
            .await
        {
            warn!(error = %why, "autocomplete response failed");
            self.metrics.response_failed();
        }
    }

    async fn on_component(&self, ctx: &Context, interaction: &ComponentInteraction) {
        let started = Instant::now();
        let desk = self.desk();
        let answer = interaction
            .data
            .custom_id
            .strip_prefix(render::TOPIC_BUTTON)
            .and_then(|topic_id| desk.answer_topic(topic_id));
        let response = match &answer {
            // Answer in place: the message the button was on becomes the new answer.
            Some(answer) => {
                CreateInteractionResponse::UpdateMessage(render::into_interaction_message(
                    render::answer(answer, &desk.knowledge_base().story),
                ))
            }
            None => CreateInteractionResponse::Message(render::into_interaction_message(
                render::notice("That topic is no longer available; try /topic."),
            )),
        };
        match interaction.create_response(&ctx.http, response).await {
            Ok(()) => {
                if let Some(answer) = &answer {
                    self.log_answer(answer, Way::Button, started);
                }
            }
            Err(why) => {
                warn!(error = %why, "button response failed");
                self.metrics.response_failed();
            }
        }
    }

    /// Routes a message: `mention::parse` reads it as a question (or not at all), the desk
    /// answers off the gateway, and `delivery::decide` says whether the bot speaks.
    async fn on_message(&self, ctx: &Context, message: &Message) {
        let started = Instant::now();
        let Some(mention::MessageQuestion { way: via, question }) =
            mention::parse(message, self.bot_user, &self.config.open_channels)
        else {
            return;
        };
        debug!(?via, question = %question, "message");
        let desk = self.desk();
        let empty = question.trim().is_empty();
        let answer = if empty {
            None
        } else {
            let Some(answer) = answer_off_the_gateway(&desk, &question, None).await else {
                return;
            };
            Some(answer)
        };
        let (user_wait, channel_wait) = self.cooldown_waits(message.author.id, message.channel_id);
        let situation = Situation {
            way: via,
            answered: answer
                .as_ref()
                .is_some_and(|answer| answer.status == AnswerStatus::Answered),
            empty,
            user_wait,
            channel_wait,
        };
        if let Some(answer) = answer.as_ref().filter(|_| !situation.held_back()) {
            self.record_unanswered(answer);
        }
        // Decide first, then take the cooldowns only if the bot speaks: a message it stays
        // quiet on ("lol nice weather") must not silence the next real question.
        if delivery::decide(&situation) == Delivery::Quiet {
            debug!(?via, ?situation, "staying quiet");
            return;
        }
        self.take_cooldowns(message.author.id, Some(message.channel_id));
        let reply = match &answer {
            Some(answer) => {
                self.log_answer(answer, via, started);
                render::answer(answer, &desk.knowledge_base().story)
            }
            None => commands::help::screen(&desk, Language::English),
        };
        let reply = render::into_channel_message(Reply {
            ephemeral: false,
            ..reply
        })
        .reference_message(message);
        if let Err(why) = message.channel_id.send_message(&ctx.http, reply).await {
            warn!(channel = %message.channel_id, error = %why, "reply failed");
            self.metrics.response_failed();
        }
    }

    /// One structured line per answered question (never the question text at info
    /// level), and its count and latency in the metrics.
    fn log_answer(&self, answer: &Answer, via: Way, started: Instant) {
        let status = answer.status.as_str();
        self.metrics
            .answered(via.label(), status, started.elapsed().as_secs_f64());
        info!(
            ?via,
            status,
            topic = answer.topic.as_deref().unwrap_or("-"),
            confidence = answer.confidence,
            latency_ms = elapsed_ms(started),
            "answered"
        );
    }

    /// How long this user, and this channel, must still wait; counts nothing.
    fn cooldown_waits(
        &self,
        user: UserId,
        channel: ChannelId,
    ) -> (Option<std::time::Duration>, Option<std::time::Duration>) {
        let now = Instant::now();
        let user_wait = self
            .user_cooldowns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .wait(user, now);
        let channel_wait = self
            .channel_cooldowns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .wait(channel, now);
        (user_wait, channel_wait)
    }

    /// Counts an answer against the user, and against the channel when it was public.
    fn take_cooldowns(&self, user: UserId, public_in: Option<ChannelId>) {
        let now = Instant::now();
        self.user_cooldowns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take(user, now);
        if let Some(channel) = public_in {
            self.channel_cooldowns
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(channel, now);
        }
    }

    fn record_unanswered(&self, answer: &Answer) {
        if answer.status == AnswerStatus::Answered {
            return;
        }
        match self.unanswered_writer.try_send(answer.clone()) {
            Ok(()) => {}
            Err(std::sync::mpsc::TrySendError::Full(_)) => {
                let dropped = self.metrics.unanswered_dropped();
                // Once per power of two, so a stalled disk cannot flood the log either.
                if dropped.is_power_of_two() {
                    warn!(
                        dropped,
                        "the unanswered log is not keeping up; misses were dropped"
                    );
                }
            }
            Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {
                warn!("the unanswered-log writer has stopped; a miss was not recorded")
            }
        }
    }

    async fn respond(&self, ctx: &Context, interaction: &CommandInteraction, reply: Reply) {
        let response = CreateInteractionResponse::Message(render::into_interaction_message(reply));
        if let Err(why) = interaction.create_response(&ctx.http, response).await {
            warn!(command = %interaction.data.name, error = %why, "interaction response failed");
            self.metrics.response_failed();
        }
    }

    /// The first response, or the edit of the acknowledgement already sent.
    async fn respond_or_edit(
        &self,
        ctx: &Context,
        interaction: &CommandInteraction,
        reply: Reply,
        deferred: bool,
    ) {
        if deferred {
            self.edit(ctx, interaction, reply).await;
        } else {
            self.respond(ctx, interaction, reply).await;
        }
    }

    /// Acknowledges privately within Discord's 3 seconds, for work that may take longer.
    async fn defer(&self, ctx: &Context, interaction: &CommandInteraction) {
        let response = CreateInteractionResponse::Defer(
            serenity::all::CreateInteractionResponseMessage::new().ephemeral(true),
        );
        if let Err(why) = interaction.create_response(&ctx.http, response).await {
            warn!(command = %interaction.data.name, error = %why, "defer failed");
            self.metrics.response_failed();
        }
    }

    async fn edit(&self, ctx: &Context, interaction: &CommandInteraction, reply: Reply) {
        if let Err(why) = interaction
            .edit_response(&ctx.http, render::into_edit(reply))
            .await
        {
            warn!(command = %interaction.data.name, error = %why, "editing the deferred response failed");
            self.metrics.response_failed();
        }
    }
}

#[async_trait]
impl EventHandler for Bot {
    async fn ready(&self, ctx: Context, ready: Ready) {
        info!(user = %ready.user.id, shard = ?ready.shard, guilds = ready.guilds.len(), "connected to Discord");
        self.metrics.shard_connected(ctx.shard_id.0, false);
        self.register_commands(&ctx).await;
    }

    async fn resume(&self, ctx: Context, _: ResumedEvent) {
        info!(shard = ctx.shard_id.0, "gateway session resumed");
        self.metrics.shard_connected(ctx.shard_id.0, true);
    }

    async fn shard_stage_update(&self, _: Context, event: ShardStageUpdateEvent) {
        // Connected again is counted by `ready` or `resume`; anything else is down.
        if !matches!(event.new, ConnectionStage::Connected) {
            self.metrics.shard_disconnected(event.shard_id.0);
        }
    }

    // Each event's handling is boxed after the permit: a burst of events waits holding
    // only these small futures, and the handling's own state (kilobytes: replies,
    // answers, HTTP calls) exists for at most `MAX_IN_FLIGHT` events at once. Unboxed, a
    // burst of 1,000 interactions held 1,000 of them while waiting.
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Ok(_permit) = self.in_flight.acquire().await else {
            return;
        };
        Box::pin(self.on_interaction(&ctx, interaction)).await;
    }

    async fn message(&self, ctx: Context, message: Message) {
        let Ok(_permit) = self.in_flight.acquire().await else {
            return;
        };
        Box::pin(self.on_message(&ctx, &message)).await;
    }
}

/// Starts the thread that appends misses to the unanswered log, in order.
fn spawn_unanswered_writer(log: Arc<UnansweredLog>) -> std::sync::mpsc::SyncSender<Answer> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Answer>(UNANSWERED_QUEUE);
    let writer = std::thread::Builder::new().name("unanswered-log".to_string()).spawn(move || {
        for answer in receiver {
            if let Err(why) = log.record(&answer) {
                warn!(path = %log.path().display(), error = %why, "could not append to the unanswered log");
            }
        }
    });
    if let Err(why) = writer {
        error!(error = %why, "cannot start the unanswered-log writer; misses will not be recorded");
    }
    sender
}

/// Said when answering failed inside the bot (a bug: answering does not fail).
const INTERNAL_ERROR: &str = "Something went wrong on my side; please try again.";

/// Answers on tokio's blocking pool, so that however long matching could take, the
/// gateway's workers (heartbeats, other events) never wait for it. `None` only if
/// answering panicked, which is logged.
async fn answer_off_the_gateway(
    desk: &Arc<FactDesk>,
    question: &str,
    language: Option<Language>,
) -> Option<Answer> {
    let desk = Arc::clone(desk);
    let question = question.to_string();
    match tokio::task::spawn_blocking(move || desk.answer_in(&question, language)).await {
        Ok(answer) => Some(answer),
        Err(why) => {
            error!(error = %why, "answering failed");
            None
        }
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
