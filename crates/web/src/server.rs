//! Accepting connections: HTTP/1.1 over hyper, with a deadline for each request's header.
//!
//! `axum::serve` has no timer, so a client that opens a connection and sends its header a byte
//! at a time (or not at all, or keeps an idle connection open) holds that connection for ever;
//! a few thousand such clients exhaust the server's file descriptors. Here every connection
//! must deliver each request's header within the configured time (`server.header_timeout_seconds`,
//! 60 s as nginx's `client_header_timeout`), counted from when the connection opens or its
//! previous response was sent, or it is closed. Clients keep idle connections for less than that
//! or see them closed before they reuse them; a deadline of a few seconds would race clients
//! that reuse a connection just as it closes.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting, lets open
/// requests finish and returns when every connection has closed. `header_timeout`: how long a
/// client may take to send a request's header, and how long an idle connection stays open.
pub async fn run(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Each connection holds a receiver of `stop` (told to finish) and of `open` (whose sender
    // sees when the last one is gone).
    let (stop_tx, stop_rx) = watch::channel(false);
    let (open_tx, open_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or a connection reset before it was taken: wait a
                    // moment rather than spin, and go on.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut stop = stop_rx.clone();
        let open = open_rx.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(addr));
                router.clone().oneshot(request)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            loop {
                tokio::select! {
                    // A closed or timed-out connection is the client's business, not an error.
                    _ = connection.as_mut() => break,
                    _ = stop.changed() => connection.as_mut().graceful_shutdown(),
                }
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(open_rx);
    open_tx.closed().await;
    Ok(())
}
