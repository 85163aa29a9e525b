package dev.boardcast.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the real services before the first test of a run and stops them after the last.
 */
public class TestServicesSession implements LauncherSessionListener {

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		TestServices.startAll();
	}

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		TestServices.stopAll();
	}

}
