/* E-mail alerts of the checker child: a real server going UP or DOWN, when
 * its smtp_alert (or its virtual server's, or global_defs') asks. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "alert.h"
#include "check_rt.h"

/* The real server's own smtp_alert wins, then its virtual server's, then
 * global_defs'. */
static bool wanted(const struct rs_rt *rs)
{
	enum check_smtp_alert a = rs->conf->smtp_alert;

	if (a == CHECK_SMTP_UNSET)
		a = rs->vs->conf->smtp_alert;
	if (a == CHECK_SMTP_UNSET)
		return rs->vs->rt->global->smtp_alert;
	return a == CHECK_SMTP_ON;
}

void check_alert_rs(const struct rs_rt *rs, const char *why)
{
	struct alerter *al = rs->vs->rt->alerter;
	char who[INET6_ADDRSTRLEN + 8], subject[256], body[1024];
	const char *state = rs->up ? "UP" : "DOWN";

	if (!al || !wanted(rs))
		return;
	rs_describe(rs, who, sizeof(who));
	snprintf(subject, sizeof(subject), "Real server %s of %s is %s", who, rs->vs->name, state);
	snprintf(body, sizeof(body),
		 "Real server %s of %s\n"
		 "went %s on router %s.\n\n"
		 "Checks:           %s\n"
		 "Weight:           %u\n",
		 who, rs->vs->name, state, alerter_router_id(al), why, rs_weight(rs));
	alert_send(al, subject, body);
}
