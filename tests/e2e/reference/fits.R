# fits.R - the survival fits of the issue-10 reference (see README.md).
#
#   Rscript fits.R <dir>
#
# Reads from <dir> (written by issue10_ref.py):
#   km.csv   group, entry, exit, event             Kaplan-Meier per group
#   aj.csv   group, id, entry, exit, state          Aalen-Johansen per group
#   cox.csv  group, entry, exit, event, year, stratum   Cox per group
# Times are whole days; a record is at risk at t when entry < t <= exit.
# Writes <dir>/results.csv: group, stat, value (%.17g, or NA).
#
# KM (log-log 95% band, Greenwood): median / low / high = the first event time
# where S / the band's lower / upper limit is <= 0.5 (not R's print rule,
# which takes a midpoint when S sits exactly at 0.5); s12, s24, s36 = S at
# 365.25, 730.5, 1095.75 days (the step function, carried past the last time).
# AJ: pstate of each state at m * 30.4375 days, m = 0..48 ("<state>@<m>").
# Cox: ~ year + strata(stratum), Breslow ties; hr, low, high (Wald), p (Wald).
# flags (bit mask, diagnostics only): 1 = S within 1e-9 of 0.5 at an event
# time (the median then depends on rounding); 2 = a time asked for lies after
# the last time of the fit; 4 = S reached 0 before the upper limit reached
# 0.5 (R has no limit there); 8 = the Cox fit warned.

suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript fits.R <dir>")
dir <- args[1]

DAYS_PER_MONTH <- 30.4375
EPS <- 1e-9
res_group <- character(0)
res_stat <- character(0)
res_value <- numeric(0)
put <- function(group, stat, value) {
  res_group <<- c(res_group, group)
  res_stat <<- c(res_stat, stat)
  res_value <<- c(res_value, if (is.null(value) || length(value) == 0) NA else value)
}

step_at <- function(time, surv, t) {
  i <- which(time <= t)
  if (length(i) == 0) 1 else surv[max(i)]
}

# ---- Kaplan-Meier
km <- read.csv(file.path(dir, "km.csv"), stringsAsFactors = FALSE)
for (g in unique(km$group)) {
  d <- km[km$group == g, ]
  fit <- survfit(Surv(entry, exit, event) ~ 1, data = d, conf.type = "log-log")
  flags <- 0
  ev <- fit$n.event > 0
  t <- fit$time[ev]
  s <- fit$surv[ev]
  lo <- fit$lower[ev]
  hi <- fit$upper[ev]
  first_at <- function(x) {
    i <- which(!is.na(x) & x <= 0.5 + EPS)
    if (length(i) == 0) NA else t[i[1]]
  }
  if (any(abs(s - 0.5) < EPS)) flags <- flags + 1
  med <- first_at(s)
  low <- first_at(lo)
  high <- first_at(hi)
  if (is.na(high) && any(s == 0)) flags <- flags + 4
  put(g, "median", med)
  put(g, "low", low)
  put(g, "high", high)
  for (m in c(12, 24, 36)) {
    tt <- m * DAYS_PER_MONTH
    if (tt > max(fit$time)) flags <- bitwOr(flags, 2)
    put(g, paste0("s", m), step_at(fit$time, fit$surv, tt))
  }
  put(g, "n", nrow(d))
  put(g, "events", sum(d$event))
  put(g, "flags", flags)
}

# ---- Aalen-Johansen
aj <- read.csv(file.path(dir, "aj.csv"), stringsAsFactors = FALSE)
aj$state <- factor(aj$state, levels = c("censor", "promoted", "moved", "left"))
for (g in unique(aj$group)) {
  d <- aj[aj$group == g, ]
  fit <- survfit(Surv(entry, exit, state) ~ 1, data = d, id = id)
  times <- (0:48) * DAYS_PER_MONTH
  sm <- summary(fit, times = times, extend = TRUE)
  flags <- if (max(times) > max(fit$time)) 2 else 0
  ps <- sm$pstate
  colnames(ps) <- fit$states
  for (st in fit$states) {
    for (m in 0:48) put(g, paste0(st, "@", m), ps[m + 1, st])
  }
  put(g, "flags", flags)
}

# ---- Cox
cx <- read.csv(file.path(dir, "cox.csv"), stringsAsFactors = FALSE)
for (g in unique(cx$group)) {
  d <- cx[cx$group == g, ]
  if (sum(d$event) == 0) {
    put(g, "flags", 0)
    next
  }
  warned <- FALSE
  fit <- withCallingHandlers(
    coxph(Surv(entry, exit, event) ~ year + strata(stratum), data = d, ties = "breslow"),
    warning = function(w) { warned <<- TRUE; invokeRestart("muffleWarning") })
  b <- unname(coef(fit)["year"])
  se <- sqrt(vcov(fit)["year", "year"])
  z <- qnorm(0.975)
  put(g, "hr", exp(b))
  put(g, "low", exp(b - z * se))
  put(g, "high", exp(b + z * se))
  put(g, "p", 2 * pnorm(-abs(b / se)))
  put(g, "coef", b)
  put(g, "se", se)
  put(g, "flags", if (warned) 8 else 0)
}

out <- data.frame(group = res_group, stat = res_stat,
                  value = ifelse(is.na(res_value), "NA", sprintf("%.17g", res_value)),
                  stringsAsFactors = FALSE)
write.csv(out, file.path(dir, "results.csv"), row.names = FALSE, quote = TRUE)
