//! [`NeoUsageClient`]: the four endpoints and fetch-all, for Rust on wasm32.

use neo_usage::{
    paths, task_path, FetchAllOptions, FetchAllOutput, FetchProgress, NeoUsageError,
    StreamUsageQuery, SummaryQuery, TaskUsage, TaskUsagePage, TaskUsageQuery, UsageSummary,
};

use crate::cancel::CancelHandle;
use crate::config::ClientConfig;
use crate::limiter::ConcurrencyLimiter;
use crate::transport::{with_query, DecodingTransport, FetchTransport};
use neo_usage::pagination::{PageScan, PageScanError, PageSink, ScanEnd, ScanPage, ScanStop};

/// A client of the Neo usage API over the browser's `fetch`.
///
/// Cloning is cheap; clones share the bound on requests in flight
/// ([`ClientConfig::max_concurrency`]). Every method checks its query first
/// ([`NeoUsageError::InvalidQuery`] lists every problem), retries what is
/// worth retrying ([`ClientConfig::retry`]) and decodes from the response's
/// bytes.
///
/// ```no_run
/// use neo_usage::{TaskStatus, TaskUsageQuery};
/// use neo_usage_client::{ClientConfig, Credentials, NeoUsageClient};
/// # async fn demo() -> Result<(), neo_usage::NeoUsageError> {
/// let client = NeoUsageClient::new(ClientConfig::new(Credentials::Bearer("JWT".into())));
/// let page = client
///     .list_task_usages(&TaskUsageQuery::new().status(TaskStatus::Error).limit(20))
///     .await?;
/// for row in &page.data {
///     let credits = row.neo_credits.unwrap_or(0.0);
///     web_sys::console::log_1(&format!("{} {credits}", row.task_id).into());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct NeoUsageClient {
    transport: FetchTransport,
}

/// How [`NeoUsageClient::fetch_all_task_usages`] runs: the core's
/// [`FetchAllOptions`] plus cancellation.
///
/// ```
/// use neo_usage_client::{CancelHandle, FetchAllRequest};
/// let cancel = CancelHandle::new();
/// let request = FetchAllRequest::default().concurrency(3).max_rows(5_000).cancel(cancel.clone());
/// assert_eq!(request.options.concurrency, 3);
/// assert_eq!(request.options.max_rows, Some(5_000));
/// ```
#[derive(Debug, Clone, Default)]
pub struct FetchAllRequest {
    /// Page size, concurrency, row and page caps, retries. `retry` defaults
    /// to the client's policy when left at [`FetchAllRequest::default`].
    pub options: FetchAllOptions,
    /// Cancels the scan: requests in flight are aborted and the result is
    /// [`NeoUsageError::Incomplete`] with the rows fetched so far.
    pub cancel: Option<CancelHandle>,
}

impl FetchAllRequest {
    /// Sets the pages in flight at once (further bounded by the client's
    /// `max_concurrency`).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.options.concurrency = concurrency.max(1);
        self
    }

    /// Stops after `max_rows` rows.
    pub fn max_rows(mut self, max_rows: u64) -> Self {
        self.options.max_rows = Some(max_rows);
        self
    }

    /// Covers the scan with `cancel`.
    pub fn cancel(mut self, cancel: CancelHandle) -> Self {
        self.cancel = Some(cancel);
        self
    }
}

impl NeoUsageClient {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Self {
        let limiter = ConcurrencyLimiter::new(config.max_concurrency);
        NeoUsageClient {
            transport: FetchTransport::new(config, limiter),
        }
    }

    /// The transport, for requests the typed methods do not cover.
    pub fn transport(&self) -> &FetchTransport {
        &self.transport
    }

    /// The configuration (its `Debug` form redacts the credentials).
    pub fn config(&self) -> &ClientConfig {
        self.transport.config()
    }

    /// `GET /api/v1/usage/tasks`: one page of task usages, newest first.
    pub async fn list_task_usages(
        &self,
        query: &TaskUsageQuery,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        self.list_task_usages_with(query, None).await
    }

    /// [`NeoUsageClient::list_task_usages`], cancellable.
    pub async fn list_task_usages_with(
        &self,
        query: &TaskUsageQuery,
        cancel: Option<&CancelHandle>,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        let path = with_query(paths::TASKS, &query.to_query_string()?);
        self.transport
            .with_cancel(cancel.cloned())
            .get_json_retried(&path, Some(query.offset.unwrap_or(0)))
            .await
    }

    /// `GET /api/v1/usage/tasks/{task_id}`: one task's usage (the id is
    /// percent-encoded). An unknown id is [`NeoUsageError::NotFound`].
    pub async fn get_task_usage(&self, task_id: &str) -> Result<TaskUsage, NeoUsageError> {
        self.get_task_usage_with(task_id, None).await
    }

    /// [`NeoUsageClient::get_task_usage`], cancellable.
    pub async fn get_task_usage_with(
        &self,
        task_id: &str,
        cancel: Option<&CancelHandle>,
    ) -> Result<TaskUsage, NeoUsageError> {
        if task_id.trim().is_empty() {
            return Err(NeoUsageError::InvalidQuery {
                problems: vec![neo_usage::QueryProblem::new(
                    neo_usage::params::TASK_ID,
                    "must not be blank",
                )],
            });
        }
        self.transport
            .with_cancel(cancel.cloned())
            .get_json_retried(&task_path(task_id), None)
            .await
    }

    /// `GET /api/v1/usage/streams`: one page of stream usages.
    pub async fn list_stream_usages(
        &self,
        query: &StreamUsageQuery,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        self.list_stream_usages_with(query, None).await
    }

    /// [`NeoUsageClient::list_stream_usages`], cancellable.
    pub async fn list_stream_usages_with(
        &self,
        query: &StreamUsageQuery,
        cancel: Option<&CancelHandle>,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        let path = with_query(paths::STREAMS, &query.to_query_string()?);
        self.transport
            .with_cancel(cancel.cloned())
            .get_json_retried(&path, Some(query.offset.unwrap_or(0)))
            .await
    }

    /// `GET /api/v1/usage/summary`: totals over the caller's scope.
    pub async fn get_usage_summary(
        &self,
        query: &SummaryQuery,
    ) -> Result<UsageSummary, NeoUsageError> {
        self.get_usage_summary_with(query, None).await
    }

    /// [`NeoUsageClient::get_usage_summary`], cancellable.
    pub async fn get_usage_summary_with(
        &self,
        query: &SummaryQuery,
        cancel: Option<&CancelHandle>,
    ) -> Result<UsageSummary, NeoUsageError> {
        let path = with_query(paths::SUMMARY, &query.to_query_string()?);
        self.transport
            .with_cancel(cancel.cloned())
            .get_json_retried(&path, None)
            .await
    }

    /// Every row matching `query`, by the core's
    /// [`neo_usage::fetch_all_task_usages`] driver over this client's
    /// transport: bounded concurrency, `to` pinned to the start of the scan,
    /// duplicates dropped, every page retried. `on_progress` is called after
    /// each page.
    ///
    /// A page that still fails, or a cancellation, ends in
    /// [`NeoUsageError::Incomplete`] with the rows fetched and the offsets
    /// missing.
    ///
    /// ```no_run
    /// # use neo_usage_client::*;
    /// # async fn demo(client: NeoUsageClient) -> Result<(), neo_usage::NeoUsageError> {
    /// let cancel = CancelHandle::new();
    /// let all = client
    ///     .fetch_all_task_usages(
    ///         &neo_usage::TaskUsageQuery::new(),
    ///         FetchAllRequest::default().concurrency(4).cancel(cancel.clone()),
    ///         |p| web_sys::console::log_1(&format!("{}/{}", p.rows_loaded, p.total).into()),
    ///     )
    ///     .await?;
    /// assert_eq!(all.rows.len() as u64, all.total);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_all_task_usages(
        &self,
        query: &TaskUsageQuery,
        request: FetchAllRequest,
        on_progress: impl FnMut(FetchProgress),
    ) -> Result<FetchAllOutput, NeoUsageError> {
        let options = self.scan_options(&request);
        let transport = self.transport.with_cancel(request.cancel);
        neo_usage::fetch_all_task_usages(&transport, query, options, on_progress).await
    }

    /// [`NeoUsageClient::fetch_all_task_usages`] with each page decoded from
    /// its bytes by `decode` (given the bytes, to keep or drop, and the
    /// page's offset) into
    /// any [`ScanPage`], such as a column store of the page: the same plan,
    /// pinning, concurrency, retries and stop rules, with the pages handed
    /// back in offset order for the caller to merge (the first row of each
    /// `task_id`, at most `max_rows`). A failure after the first page is
    /// [`PageScanError::Stopped`], holding the pages fetched.
    pub async fn fetch_all_pages<P: ScanPage>(
        &self,
        query: &TaskUsageQuery,
        request: FetchAllRequest,
        decode: impl Fn(Vec<u8>, u64) -> Result<P, NeoUsageError>,
        on_progress: impl FnMut(FetchProgress),
    ) -> Result<PageScan<P>, PageScanError<P>> {
        let options = self.scan_options(&request);
        let transport = DecodingTransport::new(self.transport.with_cancel(request.cancel), decode);
        neo_usage::pagination::fetch_all_pages(&transport, query, options, on_progress).await
    }

    /// [`NeoUsageClient::fetch_all_pages`] handing each page to `sink` as
    /// it arrives (any offset order) rather than holding every page until
    /// the scan ends: a caller that joins pages as they come holds only
    /// those that came early. A failure after the first page is
    /// [`ScanStop::Stopped`]; the pages fetched are in the sink.
    pub async fn fetch_all_pages_into<P: ScanPage, S: PageSink<P>>(
        &self,
        query: &TaskUsageQuery,
        request: FetchAllRequest,
        decode: impl Fn(Vec<u8>, u64) -> Result<P, NeoUsageError>,
        sink: &mut S,
        on_progress: impl FnMut(FetchProgress),
    ) -> Result<ScanEnd, ScanStop> {
        let options = self.scan_options(&request);
        let transport = DecodingTransport::new(self.transport.with_cancel(request.cancel), decode);
        neo_usage::pagination::fetch_all_pages_into(&transport, query, options, sink, on_progress)
            .await
    }

    /// The request's options, with the client's retry policy unless the
    /// request set its own.
    fn scan_options(&self, request: &FetchAllRequest) -> FetchAllOptions {
        let mut options = request.options;
        if options.retry == FetchAllOptions::default().retry {
            options.retry = self.config().retry;
        }
        options
    }
}
