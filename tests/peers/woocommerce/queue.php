<?php
/*
 * Runs one shop's Action Scheduler queue, where WooCommerce puts its webhook deliveries,
 * every TILLFLOW_WOO_QUEUE_EVERY seconds until stopped.
 *
 * A shop runs that queue from WP-Cron, about once a minute and only while it receives
 * requests; the tests want deliveries within a second. WordPress is loaded once (as
 * WP-CLI's queue runner does); each pass reads the queue afresh and gets a runner of its
 * own, whose time budget starts with the pass.
 *
 * The environment names the shop (see wp-config.php); WORDPRESS is the tree.
 */

require getenv( 'WORDPRESS' ) . '/wp-load.php';

$tillflow_every = (float) tillflow_shop_setting( 'TILLFLOW_WOO_QUEUE_EVERY' );
$tillflow_async = new ActionScheduler_AsyncRequest_QueueRunner( ActionScheduler_Store::instance() );
fwrite( STDOUT, "queue runner ready\n" );
while ( true ) {
	wp_cache_flush();
	( new ActionScheduler_QueueRunner( null, null, null, $tillflow_async ) )->run( 'tillflow tests' );
	usleep( (int) ( $tillflow_every * 1e6 ) );
}
