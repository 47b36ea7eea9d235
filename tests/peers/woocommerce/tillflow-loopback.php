<?php
/*
 * Plugin Name: tillflow test loopback
 * Description: Lets the test shop deliver webhooks to receivers on loopback ports.
 *
 * WordPress sends webhooks only to public hosts, and only on ports 80, 443, 8080 or the
 * site's own; the tests' receivers listen on 127.0.0.1 at ports chosen when they start.
 */

function tillflow_is_loopback( string $host ): bool {
	return in_array( $host, array( '127.0.0.1', 'localhost', '[::1]' ), true );
}

add_filter(
	'http_request_host_is_external',
	function ( $external, $host ) {
		return $external || tillflow_is_loopback( (string) $host );
	},
	10,
	2
);

add_filter(
	'http_allowed_safe_ports',
	function ( $ports, $host, $url ) {
		$port = parse_url( (string) $url, PHP_URL_PORT );
		if ( $port && tillflow_is_loopback( (string) $host ) ) {
			$ports[] = (int) $port;
		}
		return $ports;
	},
	10,
	3
);
