package dev.airlock.runtime.docker;

import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.airlock.core.AirlockException;
import dev.airlock.runtime.ImageNotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes sure a sandbox's image is on the host: there already, or pulled as the pull
 * policy allows.
 */
@Component
class DockerImages {

	private static final Logger log = LoggerFactory.getLogger(DockerImages.class);

	private final DockerClient docker;

	private final DockerSettings settings;

	DockerImages(DockerClient docker, DockerSettings settings) {
		this.docker = docker;
		this.settings = settings;
	}

	/**
	 * Answers once the image is present.
	 * @throws ImageNotFound when it is missing and cannot be pulled
	 */
	void ensure(String image) {
		try {
			docker.inspectImageCmd(image).exec();
			return;
		}
		catch (NotFoundException missing) {
			if (settings.pullPolicy() == DockerSettings.PullPolicy.NEVER) {
				throw new ImageNotFound(image, "it is not on the host and pulling is disabled.");
			}
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("inspect the image", e);
		}
		pull(image);
	}

	private void pull(String image) {
		log.info("Pulling image {}", image);
		try {
			var done = docker.pullImageCmd(image)
				.exec(new PullImageResultCallback())
				.awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (!done) {
				throw new ImageNotFound(image, "the pull did not finish within " + settings.pullTimeout() + ".");
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ImageNotFound(image, "the pull was interrupted.");
		}
		catch (AirlockException e) {
			throw e;
		}
		catch (RuntimeException e) {
			if (DockerErrors.isUnreachable(e)) {
				throw DockerErrors.translate("pull the image", e);
			}
			var why = e instanceof DockerException docker ? DockerErrors.engineMessage(docker) : e.getMessage();
			throw new ImageNotFound(image, "the pull failed: " + why);
		}
	}

}
