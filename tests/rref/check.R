# check.R - compares what rref_dump wrote (this code's estimates) with R's
# survival package on the same data. See README.md.
#   Rscript check.R FOLDER
# Exits 1 unless, for every data set:
#   Cox (coxph, ties = "breslow", strata): beta, se and p within a relative
#     5e-5 (4 significant figures), and the row and event counts equal;
#   Aalen-Johansen (survfit multi-state pstate): S, F1, F2 within 1e-6 at
#     every outcome time and at the query times;
#   Kaplan-Meier (survfit): S within 1e-6 at every event time and query time.
suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript check.R FOLDER")
dir <- args[1]

cox_rel_tol <- 5e-5
curve_tol <- 1e-6
failures <- character(0)
worst <- c(beta = 0, se = 0, p = 0, aj = 0, km = 0)

fail <- function(...) failures <<- c(failures, paste0(...))
rel <- function(a, b) abs(a - b) / abs(b)
note <- function(what, value) worst[what] <<- max(worst[what], value)
# a survfit curve at the given times, in their order (summary sorts them)
at_times <- function(fit, times, what) {
	tt <- sort(unique(times))
	v <- as.matrix(summary(fit, times = tt, extend = TRUE)[[what]])
	v[match(times, tt), , drop = FALSE]
}

sets <- read.csv(file.path(dir, "datasets.csv"))
if (nrow(sets) == 0) stop("no data sets in ", dir)

for (id in sets$id) {
	file <- function(name) file.path(dir, sprintf("%s_%d.csv", name, id))
	all <- read.csv(file("data"))
	if (nrow(all) != sets$rows[sets$id == id]) fail(id, ": data rows")
	d <- all[all$exit > all$entry, ]  # rows with exit <= entry take no part
	d$event <- as.integer(d$state != 0)
	d$row <- seq_len(nrow(d))

	# Cox
	ours <- read.csv(file("cox"))
	fit <- coxph(Surv(entry, exit, event) ~ x + strata(stratum), data = d,
		     ties = "breslow")
	co <- summary(fit)$coefficients
	theirs <- c(beta = co[1, "coef"], se = co[1, "se(coef)"], p = co[1, "Pr(>|z|)"])
	for (k in names(theirs)) {
		r <- rel(ours[[k]], theirs[[k]])
		note(k, r)
		if (!(r <= cox_rel_tol))
			fail(id, sprintf(": Cox %s %.10g, R %.10g", k, ours[[k]], theirs[[k]]))
	}
	if (ours$used != fit$n || ours$events != fit$nevent)
		fail(id, sprintf(": Cox used/events %d/%d, R %d/%d", ours$used,
				 ours$events, fit$n, fit$nevent))
	cat(sprintf("data set %d: %5d rows, %2d strata, %4d events: beta %.6f (R %.6f) se %.6f p %.4g, iterations %d (R %d)\n",
		    id, nrow(d), length(unique(d$stratum)), fit$nevent, ours$beta,
		    co[1, "coef"], ours$se, ours$p, ours$iterations, fit$iter))

	# Aalen-Johansen: state a factor whose first level is censoring
	d$st <- factor(d$state, levels = 0:2, labels = c("censored", "one", "two"))
	aj <- survfit(Surv(entry, exit, st) ~ 1, data = d, id = row)
	ours <- read.csv(file("aj"))
	ps <- at_times(aj, ours$time, "pstate")
	cols <- match(c("(s0)", "one", "two"), aj$states)
	if (anyNA(cols)) stop("unexpected states: ", paste(aj$states, collapse = " "))
	diff <- max(abs(as.matrix(ours[, c("surv", "F1", "F2")]) - ps[, cols]))
	note("aj", diff)
	if (!(diff <= curve_tol)) fail(id, sprintf(": Aalen-Johansen differs by %.3g", diff))
	steps <- ours$time[ours$kind == "step"]
	r_steps <- aj$time[rowSums(aj$n.event) > 0]
	if (!identical(as.numeric(steps), as.numeric(r_steps)))
		fail(id, ": Aalen-Johansen outcome times differ")
	sums <- ours$surv + ours$F1 + ours$F2
	if (max(abs(sums - 1)) > 1e-12) fail(id, ": S + F1 + F2 is not 1")

	# Kaplan-Meier (stats/km.h) on the same data, all outcomes as events
	km <- survfit(Surv(entry, exit, event) ~ 1, data = d)
	ours <- read.csv(file("km"))
	s <- at_times(km, ours$time, "surv")
	diff <- max(abs(ours$surv - s))
	note("km", diff)
	if (!(diff <= curve_tol)) fail(id, sprintf(": Kaplan-Meier differs by %.3g", diff))
	if (!identical(as.numeric(ours$time[ours$kind == "step"]),
		       as.numeric(km$time[km$n.event > 0])))
		fail(id, ": Kaplan-Meier event times differ")
}

cat(sprintf("largest differences: Cox beta %.2g, se %.2g, p %.2g (relative); Aalen-Johansen %.2g, Kaplan-Meier %.2g (absolute)\n",
	    worst[["beta"]], worst[["se"]], worst[["p"]], worst[["aj"]], worst[["km"]]))
if (length(failures)) {
	cat("FAILED:\n", paste0("  data set ", failures, "\n"), sep = "")
	quit(status = 1)
}
cat("all", nrow(sets), "data sets agree with R's survival package\n")
