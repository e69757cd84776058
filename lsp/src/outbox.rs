//! Messages the server writes to the client itself, beside tower-lsp-server.
//!
//! tower-lsp-server turns every notification's params into a `serde_json::Value` before it
//! encodes them: for a thousand diagnostics that costs more than linting the document, and
//! for tens of thousands it holds several copies of them at once. [`crate::serve`] already
//! frames every outgoing message itself ([`crate::wire::write_output`]), so a notification
//! serialised straight to bytes goes into the same queue.

use tokio::sync::mpsc::{Sender, WeakSender};

/// The queue of framed-on-the-way-out message bodies, held weakly: when the connection is
/// gone, sending does nothing and keeps nothing alive.
#[derive(Clone)]
pub struct Outbox(WeakSender<Vec<u8>>);

impl Outbox {
    pub fn new(messages: &Sender<Vec<u8>>) -> Self {
        Self(messages.downgrade())
    }

    /// Queues one JSON-RPC message body; messages leave in the order they were queued.
    pub async fn send(&self, body: Vec<u8>) {
        if let Some(messages) = self.0.upgrade() {
            // An error means the client is gone: nothing to tell it any more.
            let _ = messages.send(body).await;
        }
    }
}
