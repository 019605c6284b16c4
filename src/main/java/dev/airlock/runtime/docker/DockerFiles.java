package dev.airlock.runtime.docker;

import java.io.InputStream;
import java.util.List;

import dev.airlock.runtime.ContainerFiles;
import dev.airlock.runtime.FileContent;
import dev.airlock.runtime.FileEntry;
import dev.airlock.runtime.agent.AgentFiles;
import org.springframework.stereotype.Component;

/** Files through each sandbox's agent. */
@Component
class DockerFiles implements ContainerFiles {

	private final AgentChannels channels;

	DockerFiles(AgentChannels channels) {
		this.channels = channels;
	}

	@Override
	public void writeFile(String sandboxId, String root, String path, InputStream content, long size) {
		AgentFiles.write(channels.session(sandboxId), root, path, content, size);
	}

	@Override
	public FileContent readFile(String sandboxId, String path) {
		return AgentFiles.read(channels.session(sandboxId), path);
	}

	@Override
	public List<FileEntry> listFolder(String sandboxId, String path) {
		return AgentFiles.list(channels.session(sandboxId), path);
	}

	@Override
	public void delete(String sandboxId, String root, String path) {
		AgentFiles.delete(channels.session(sandboxId), root, path);
	}

}
